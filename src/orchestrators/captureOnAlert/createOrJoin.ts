import type { ActivityOutput } from '../../activities/contract';
import type { InspectedCapture } from '../../activities/inspectCaptures';
import { captureNameFor } from '../../capture/naming';
import type { ResolvedTarget } from '../../capture/target';
import { enterPhase, now, publishStatus, type FollowedCapture, type Run, type Step } from './run';
import { callStep, StepFailure } from './steps';

/** Waits between two looks at the session count while no slot is free; the last one repeats. */
const SLOT_WAIT_GAPS_SECONDS = [30, 60, 120, 240, 300] as const;

/** Running captures named in a failure's details, at most. */
const NAMES_REPORTED = 20;

/**
 * The phases `waitingForSlot` and `creating`: a capture already running on the VM is joined,
 * never duplicated; otherwise the run waits for a free session slot and creates its own capture.
 */
export function* createOrJoin(
  run: Run,
  target: ResolvedTarget,
  slotWaitSeconds: number,
): Step<FollowedCapture> {
  const slot = yield* acquireSlot(run, target, slotWaitSeconds);
  return slot.kind === 'join' ? join(run, target, slot.capture) : yield* create(run, target);
}

type SlotOutcome = { kind: 'create' } | { kind: 'join'; capture: InspectedCapture };

/**
 * A capture already running on the VM is joined; otherwise the run needs a free session slot under
 * CAPTURE_SESSION_LIMIT and waits for one with durable timers (backing off), up to
 * CAPTURE_SLOT_WAIT_SECONDS. A StopCapture event during the wait cancels the run before anything
 * is created.
 */
function* acquireSlot(run: Run, target: ResolvedTarget, slotWaitSeconds: number): Step<SlotOutcome> {
  const since = now(run);
  const waitingUntil = new Date(since.getTime() + slotWaitSeconds * 1000);
  for (let waits = 0; ; waits += 1) {
    const inspected = yield* callStep(run, 'inspectCaptures', {
      instanceId: run.instanceId,
      vmId: target.vm.id,
      networkWatcherId: target.networkWatcher.id,
    });
    run.slot = {
      sessionLimit: inspected.sessionLimit,
      freeSlots: inspected.freeSlots,
      running: inspected.runningCount,
    };
    const waited = () => {
      if (waits > 0) run.slotWaitSeconds = (now(run).getTime() - since.getTime()) / 1000;
    };
    if (inspected.onThisVm) {
      waited();
      if (isOwnCapture(run, target, inspected.onThisVm)) return { kind: 'create' };
      return { kind: 'join', capture: inspected.onThisVm };
    }
    if (inspected.freeSlots > 0) {
      waited();
      return { kind: 'create' };
    }
    if (now(run) >= waitingUntil) throw noSlot(run, target, inspected, since);
    run.slot.waitingUntil = waitingUntil;
    enterPhase(run, 'waitingForSlot');
    const gap = SLOT_WAIT_GAPS_SECONDS[Math.min(waits, SLOT_WAIT_GAPS_SECONDS.length - 1)]! * 1000;
    const wake = new Date(Math.min(now(run).getTime() + gap, waitingUntil.getTime()));
    if ((yield* run.signals.sleep(wake, { stop: true, alert: false })) === 'stop') {
      throw new StepFailure(
        'RUN_CANCELLED',
        `The run was stopped while it waited for a free capture slot${reasonOf(run)}; no capture was created.`,
        { step: 'acquireSlot', details: { ...run.signals.stopRequest } },
      );
    }
  }
}

function noSlot(
  run: Run,
  target: ResolvedTarget,
  inspected: ActivityOutput<'inspectCaptures'>,
  since: Date,
): StepFailure {
  const waitedSeconds = Math.round((now(run).getTime() - since.getTime()) / 1000);
  return new StepFailure(
    'CAPTURE_SLOT_TIMEOUT',
    `All ${inspected.sessionLimit} capture sessions of ${target.networkWatcher.name} stayed in use for ${waitedSeconds} s ` +
      '(CAPTURE_SLOT_WAIT_SECONDS); no capture was created. Stop a running capture, or raise CAPTURE_SESSION_LIMIT.',
    {
      step: 'acquireSlot',
      details: {
        networkWatcherId: target.networkWatcher.id,
        sessionLimit: inspected.sessionLimit,
        waitedSeconds,
        running: inspected.running.slice(0, NAMES_REPORTED).map((c) => ({ name: c.name, target: c.target })),
      },
    },
  );
}

function reasonOf(run: Run): string {
  const reason = run.signals.stopRequest?.reason;
  return reason ? ` (${reason})` : '';
}

/**
 * Names the capture (the request's name, else one derived from the VM and the run's start time,
 * so that a retry finds its own capture) and creates it. The name is known before the call, so a
 * failure after the PUT can still clean the capture up.
 */
function* create(run: Run, target: ResolvedTarget): Step<FollowedCapture> {
  enterPhase(run, 'creating');
  // A stop that came before the capture exists ends the run here: creating it only to stop it
  // would take a session slot and leave a file nobody wants.
  if (yield* run.signals.stopRequestedBy(now(run))) {
    throw new StepFailure(
      'RUN_CANCELLED',
      `The run was stopped before its capture was created${reasonOf(run)}; no capture was created.`,
      { step: 'createCapture', details: { ...run.signals.stopRequest } },
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
  let created: ActivityOutput<'createCapture'>;
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
function isOwnCapture(run: Run, target: ResolvedTarget, capture: InspectedCapture): boolean {
  return !run.request.captureName && capture.name.toLowerCase() === ownCaptureName(run, target).toLowerCase();
}

/** A capture already running on the VM: followed and reported, never duplicated. */
function join(run: Run, target: ResolvedTarget, existing: InspectedCapture): FollowedCapture {
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
