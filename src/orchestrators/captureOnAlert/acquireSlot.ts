import type { InspectCapturesOutput, InspectedCapture } from '../../activities/inspectCaptures';
import type { ResolvedTarget } from '../../capture/target';
import { callStep } from './callStep';
import { isOwnCapture } from './createOrJoin';
import { now, type Run, type Step } from './run';
import { enterPhase } from './runStatus';
import { StepFailure } from './StepFailure';

export type SlotOutcome = { kind: 'create' } | { kind: 'join'; capture: InspectedCapture };

/** Waits between two looks at the session count while no slot is free; the last one repeats. */
export const SLOT_WAIT_GAPS_SECONDS = [30, 60, 120, 240, 300] as const;

/** Running captures named in a failure's details, at most. */
const NAMES_REPORTED = 20;

/**
 * Workflow step 3: a capture already running on the VM is joined, never duplicated; otherwise the
 * run needs a free session slot under CAPTURE_SESSION_LIMIT and waits for one with durable timers
 * (backing off), up to CAPTURE_SLOT_WAIT_SECONDS. A StopCapture event during the wait cancels the
 * run before anything is created.
 */
export function* acquireSlot(run: Run, target: ResolvedTarget, slotWaitSeconds: number): Step<SlotOutcome> {
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
    if (yield* run.stop.sleepUnlessStopped(wake)) {
      throw new StepFailure(
        'RUN_CANCELLED',
        `The run was stopped while it waited for a free capture slot${reasonOf(run)}; no capture was created.`,
        { step: 'acquireSlot', details: { ...run.stop.request } },
      );
    }
  }
}

function noSlot(
  run: Run,
  target: ResolvedTarget,
  inspected: InspectCapturesOutput,
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
  const reason = run.stop.request?.reason;
  return reason ? ` (${reason})` : '';
}
