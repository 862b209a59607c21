import { RESOLVE_TARGET_ACTIVITY } from '../../activities/names';
import type { ResolveTargetOutput } from '../../activities/resolveTarget';
import type { ResolvedTarget } from '../../capture/target';
import { callStep } from './callStep';
import type { Run, Step } from './run';
import { enterPhase } from './runStatus';
import { LOAD_RUN_SETTINGS_ACTIVITY } from '../names';
import type { RunSettings } from './runSettings';

/** Workflow step 2: the run's settings, then the VM, its region's Network Watcher and the agent. */
export function* prepare(run: Run): Step<{ settings: RunSettings; target: ResolvedTarget }> {
  enterPhase(run, 'preparing');
  const settings = yield* callStep<RunSettings>(run, LOAD_RUN_SETTINGS_ACTIVITY, {
    instanceId: run.instanceId,
    vmId: run.request.vmId,
  });
  if (settings.statusUrl) run.statusUrl = settings.statusUrl;
  const target = yield* callStep<ResolveTargetOutput>(run, RESOLVE_TARGET_ACTIVITY, {
    instanceId: run.instanceId,
    vmId: run.request.vmId,
    ...(run.request.networkWatcherId && { networkWatcherId: run.request.networkWatcherId }),
  });
  run.target = target;
  // Published again: the status now names the VM as Azure spells it.
  enterPhase(run, 'preparing');
  return { settings, target };
}
