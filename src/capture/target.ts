/**
 * What resolveTarget learns about a capture target; later activities take it as input, so
 * everything here is plain JSON.
 */

export interface TargetVm {
  /** Canonical ARM id, casing as Azure returns it (alert payloads lower-case ids). */
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  /** Azure's GUID for this VM; a VM recreated under the same name gets a new one. */
  vmUniqueId?: string;
  /** From the instance view, e.g. `running`, `deallocated`; undefined when Azure did not say. */
  powerState?: string;
  osType?: 'Linux' | 'Windows';
  privateIpAddresses: string[];
}

export interface NetworkWatcherRef {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
}

export interface AgentExtension {
  /** Extension resource name on the VM (usually AzureNetworkWatcherExtension). */
  name: string;
  type: string;
  version?: string;
  /** `present` when found, `installed` when this run installed it. */
  state: 'present' | 'installed';
}

export interface ResolvedTarget {
  vm: TargetVm;
  networkWatcher: NetworkWatcherRef;
  agent: AgentExtension;
}
