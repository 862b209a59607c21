import type { RunSettings } from '../../activities/loadRunSettings';
import type { ResolvedTarget } from '../../capture/target';
import { enterPhase, type Run, type Step } from './run';
import { callStep } from './steps';

/** The phase `preparing`: the run's settings, then the VM, its region's Network Watcher and the agent. */
export function* prepare(run: Run): Step<{ settings: RunSettings; target: ResolvedTarget }> {
  enterPhase(run, 'preparing');
  const settings = yield* callStep(run, 'loadRunSettings', {
    instanceId: run.instanceId,
    vmId: run.request.vmId,
  });
  run.settings = settings;
  if (settings.statusUrl) run.statusUrl = settings.statusUrl;
  const target = yield* callStep(run, 'resolveTarget', {
    instanceId: run.instanceId,
    vmId: run.request.vmId,
    ...(run.request.networkWatcherId && { networkWatcherId: run.request.networkWatcherId }),
  });
  run.target = target;
  const unread = target.vm.unreadNetworkInterfaces ?? [];
  if (unread.length > 0) {
    run.warnings.push({
      code: 'NETWORK_INTERFACE_UNREADABLE',
      message:
        `Azure refused to show the app ${unread.length === 1 ? 'the network interface' : `${unread.length} network interfaces`} ` +
        `of ${target.vm.name} (${unread.map((nic) => `${nic.status} ${nic.armCode ?? ''}`.trim()).join(', ')}), ` +
        'so the report lacks their private IP addresses; the capture is not affected. Grant the network ' +
        'interface reader role on their resource group (NETWORK_RESOURCE_GROUPS at deployment) to see them.',
      phase: 'preparing',
      step: 'resolveTarget',
      details: { networkInterfaces: unread },
    });
  }
  // Published again: the status now names the VM as Azure spells it.
  enterPhase(run, 'preparing');
  return { settings, target };
}
