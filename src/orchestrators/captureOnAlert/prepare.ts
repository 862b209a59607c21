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
  if (settings.statusUrl) run.statusUrl = settings.statusUrl;
  const target = yield* callStep(run, 'resolveTarget', {
    instanceId: run.instanceId,
    vmId: run.request.vmId,
    ...(run.request.networkWatcherId && { networkWatcherId: run.request.networkWatcherId }),
  });
  run.target = target;
  // Published again: the status now names the VM as Azure spells it.
  enterPhase(run, 'preparing');
  return { settings, target };
}
