import type { CreateCaptureOutput } from '../../activities/createCapture';
import type { InspectedCapture } from '../../activities/inspectCaptures';
import { captureNameFor } from '../../capture/naming';
import type { ResolvedTarget } from '../../capture/target';
import { callStep } from './callStep';
import { now, type FollowedCapture, type Run, type Step } from './run';
import { enterPhase, publishStatus } from './runStatus';
import { StepFailure } from './StepFailure';

/**
 * Workflow steps 4–5: names the capture (the request's name, else one derived from the VM and the
 * run's start time, so that a retry finds its own capture) and creates it. The name is known
 * before the call, so a failure after the PUT can still clean the capture up.
 */
export function* createCapture(run: Run, target: ResolvedTarget): Step<FollowedCapture> {
  enterPhase(run, 'creating');
  // A stop that came before the capture exists ends the run here: creating it only to stop it
  // would take a session slot and leave a file nobody wants.
  if (yield* run.stop.requestedBy(now(run))) {
    const reason = run.stop.request?.reason;
    throw new StepFailure(
      'RUN_CANCELLED',
      `The run was stopped before its capture was created${reason ? ` (${reason})` : ''}; no capture was created.`,
      { step: 'createCapture', details: { ...run.stop.request } },
    );
  }
  const name = ownCaptureName(run, target);
  const capture: FollowedCapture = {
    name,
    networkWatcherId: target.networkWatcher.id,
    mode: 'created',
    owned: true,
    settings: { adjustments: [] },
    createdAt: now(run),
  };
  run.capture = capture;
  publishStatus(run);
  let created: CreateCaptureOutput;
  try {
    created = yield* callStep(run, 'createCapture', {
      instanceId: run.instanceId,
      vm: target.vm,
      networkWatcherId: target.networkWatcher.id,
      orchestrationTime: run.startedAt.toISOString(),
      options: run.request.options ?? {},
      captureName: name,
      ...(run.request.storageAccountId && { storageAccountId: run.request.storageAccountId }),
    });
  } catch (error) {
    // The name belongs to someone else's running capture: nothing of this run exists to clean up.
    if (error instanceof StepFailure && error.code === 'CAPTURE_NAME_CONFLICT') run.capture = undefined;
    throw error;
  }
  capture.createdAt = now(run);
  capture.storagePath = created.capture.storagePath;
  capture.settings = { ...created.limits, filters: created.filters, adjustments: created.adjustments };
  if (created.replaced) capture.replaced = created.replaced;
  return capture;
}

/** The name of the capture this run creates (the request's, else derived from the VM and the run's start). */
function ownCaptureName(run: Run, target: ResolvedTarget): string {
  return (
    run.request.captureName ??
    captureNameFor({ vmName: target.vm.name, vmId: target.vm.id, orchestrationTime: run.startedAt })
  );
}

/**
 * A capture on the VM that this very run made: an attempt whose result was lost (a host that died
 * with the create in flight) created it under the derived name, unique to the VM and the run's
 * start. It is resumed through the create step, which finds it, rather than joined as someone
 * else's. A name pinned by the request proves nothing: anyone may have used it.
 */
export function isOwnCapture(run: Run, target: ResolvedTarget, capture: InspectedCapture): boolean {
  return !run.request.captureName && capture.name.toLowerCase() === ownCaptureName(run, target).toLowerCase();
}

/** A capture already running on the VM: followed and reported, never duplicated. */
export function joinCapture(run: Run, target: ResolvedTarget, existing: InspectedCapture): FollowedCapture {
  const capture: FollowedCapture = {
    name: existing.name,
    networkWatcherId: existing.networkWatcherId || target.networkWatcher.id,
    mode: 'joined',
    owned: existing.createdByApp,
    settings: {
      ...(existing.timeLimitSeconds !== undefined && { timeLimitSeconds: existing.timeLimitSeconds }),
      ...(existing.bytesPerPacket !== undefined && { bytesPerPacket: existing.bytesPerPacket }),
      ...(existing.bytesPerSession !== undefined && { bytesPerSession: existing.bytesPerSession }),
      adjustments: [],
    },
    createdAt: now(run),
    storagePath: existing.storagePath,
    state: {
      ...existing.state,
      provisioningState: existing.provisioningState,
      storagePath: existing.storagePath,
    },
  };
  run.capture = capture;
  return capture;
}
