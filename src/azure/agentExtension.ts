import type { VirtualMachineExtension } from '@azure/arm-compute';
import { AppError } from '../errors/AppError';
import type { AgentExtension, TargetVm } from '../capture/target';
import { getArmClients, type ArmClients } from './clients';
import { armCall } from './armErrors';

export const AGENT_PUBLISHER = 'Microsoft.Azure.NetworkWatcher';
export const AGENT_EXTENSION_NAME = 'AzureNetworkWatcherExtension';
const AGENT_TYPES = { Linux: 'NetworkWatcherAgentLinux', Windows: 'NetworkWatcherAgentWindows' } as const;
const AGENT_VERSION = '1.4';

export interface EnsureAgentOptions {
  /** Install the extension when it is missing (AUTO_INSTALL_AGENT). */
  autoInstall: boolean;
  /** How long to wait for an install inside one activity before reporting it as pending. */
  installWaitMs: number;
}

/**
 * Makes sure the Network Watcher agent runs on the VM: packet capture needs it, and only the
 * portal installs it on its own. A missing agent is a permanent failure naming both fixes,
 * unless auto-install is on; an install still running is retriable.
 */
export async function ensureAgentExtension(
  vm: TargetVm,
  { autoInstall, installWaitMs }: EnsureAgentOptions,
): Promise<AgentExtension> {
  const clients = getArmClients(vm.subscriptionId);
  const { value: extensions = [] } = await armCall(
    { operation: 'list the VM extensions', resourceId: vm.id },
    () => clients.compute.virtualMachineExtensions.list(vm.resourceGroup, vm.name),
  );
  const agent = extensions.find(isAgent);
  if (agent) return checkState(agent, vm, 'present');
  if (!autoInstall) {
    throw new AppError(
      'AGENT_EXTENSION_MISSING',
      `The Network Watcher agent extension is missing on VM ${vm.name} (${vm.id}): install ${AGENT_EXTENSION_NAME} (publisher ${AGENT_PUBLISHER}) on it, or set AUTO_INSTALL_AGENT=true to let the app install it.`,
      { details: { vmId: vm.id, extensions: extensions.map((e) => e.name) } },
    );
  }
  return install(clients, vm, installWaitMs);
}

function isAgent(extension: VirtualMachineExtension): boolean {
  return (
    extension.publisher?.toLowerCase() === AGENT_PUBLISHER.toLowerCase() &&
    (extension.typePropertiesType ?? '').toLowerCase().startsWith('networkwatcheragent')
  );
}

async function install(clients: ArmClients, vm: TargetVm, installWaitMs: number): Promise<AgentExtension> {
  const type = AGENT_TYPES[vm.osType ?? 'Linux'];
  const abort = AbortSignal.timeout(installWaitMs);
  const operation = { operation: 'install the Network Watcher agent extension', resourceId: vm.id };
  try {
    const installed = await armCall(
      {
        ...operation,
        failed: {
          code: 'AGENT_EXTENSION_FAILED',
          message: `Installing ${AGENT_EXTENSION_NAME} on VM ${vm.name} failed; check the VM's guest agent and reinstall the extension`,
        },
      },
      () =>
        clients.compute.virtualMachineExtensions.createOrUpdate(
          vm.resourceGroup,
          vm.name,
          AGENT_EXTENSION_NAME,
          {
            location: vm.location,
            publisher: AGENT_PUBLISHER,
            typePropertiesType: type,
            typeHandlerVersion: AGENT_VERSION,
            autoUpgradeMinorVersion: true,
          },
          { abortSignal: abort },
        ),
    );
    return checkState(installed, vm, 'installed');
  } catch (error) {
    if (abort.aborted) {
      throw new AppError(
        'AGENT_EXTENSION_PENDING',
        `${AGENT_EXTENSION_NAME} is still being installed on VM ${vm.name} after ${Math.round(installWaitMs / 1000)} s; the step will be retried.`,
        { details: { vmId: vm.id }, cause: error },
      );
    }
    throw error;
  }
}

function checkState(
  extension: VirtualMachineExtension,
  vm: TargetVm,
  state: AgentExtension['state'],
): AgentExtension {
  const provisioning = extension.provisioningState ?? 'Succeeded';
  const found: AgentExtension = {
    name: extension.name ?? AGENT_EXTENSION_NAME,
    type: extension.typePropertiesType ?? '',
    version: extension.typeHandlerVersion,
    state,
  };
  if (provisioning === 'Succeeded') return found;
  const details = { vmId: vm.id, extension: found.name, provisioningState: provisioning };
  if (provisioning === 'Failed' || provisioning === 'Canceled') {
    throw new AppError(
      'AGENT_EXTENSION_FAILED',
      `The Network Watcher agent extension ${found.name} on VM ${vm.name} is in state ${provisioning}: remove and reinstall it, and check the VM's guest agent.`,
      { details },
    );
  }
  throw new AppError(
    'AGENT_EXTENSION_PENDING',
    `The Network Watcher agent extension ${found.name} on VM ${vm.name} is ${provisioning}; the step will be retried.`,
    { details },
  );
}
