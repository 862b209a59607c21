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
  /** From the NICs the app could read (see `unreadNetworkInterfaces`). */
  privateIpAddresses: string[];
  /**
   * NICs whose read Azure refused (401/403): one in a shared network resource group the app's
   * identity holds no role on. Their addresses are missing from the report, nothing else.
   */
  unreadNetworkInterfaces?: UnreadNetworkInterface[];
}

export interface UnreadNetworkInterface {
  id: string;
  status: number;
  /** Azure's error code, e.g. AuthorizationFailed. */
  armCode?: string;
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
