import { z } from 'zod';
import { ensureAgentExtension } from '../azure/agentExtension';
import { findNetworkWatcher } from '../azure/networkWatcher';
import { readVirtualMachine } from '../azure/virtualMachine';
import type { ResolvedTarget } from '../capture/target';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import { defineActivity } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, vmIdSchema } from './schemas';

/** How long one activity waits for an agent install before handing the wait to a retry. */
const AGENT_INSTALL_WAIT_MS = 240_000;

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  /** The VM id as the alert gave it (often lower-cased). */
  vmId: vmIdSchema,
  /** A watcher the request pins; NETWORK_WATCHER_ID otherwise; else the region's watcher. */
  networkWatcherId: networkWatcherIdSchema.optional(),
});

/**
 * VM id → canonical VM (casing, region, power state, private IPs) → the region's Network
 * Watcher → the agent extension (installed on the way when AUTO_INSTALL_AGENT allows).
 * Read-only unless it installs the agent, which is idempotent (PUT of a fixed name).
 */
export const resolveTarget = defineActivity({
  name: 'resolveTarget',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
  run: async ({ vmId, networkWatcherId }, log): Promise<ResolvedTarget> => {
    const config = getConfig();
    const vm = await readVirtualMachine(vmId);
    if (vm.powerState !== undefined && vm.powerState !== 'running') {
      throw new AppError(
        'VM_NOT_RUNNING',
        `VM ${vm.name} is ${vm.powerState}, so there is no traffic to capture; start it and fire the alert again.`,
        { details: { vmId: vm.id, powerState: vm.powerState } },
      );
    }
    const networkWatcher = await findNetworkWatcher({
      location: vm.location,
      subscriptionId: vm.subscriptionId,
      pinnedId: networkWatcherId ?? config.NETWORK_WATCHER_ID,
    });
    const agent = await ensureAgentExtension(vm, {
      autoInstall: config.AUTO_INSTALL_AGENT,
      installWaitMs: AGENT_INSTALL_WAIT_MS,
    });
    if (agent.state === 'installed') log.info('agent.installed', { vm: vm.id, extension: agent.name });
    return { vm, networkWatcher, agent };
  },
});
