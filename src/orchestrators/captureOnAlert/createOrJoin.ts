import type { ActivityOutput } from '../../activities/contract';
import type { InspectedCapture } from '../../activities/inspectCaptures';
import { captureNameFor } from '../../capture/naming';
import type { ResolvedTarget } from '../../capture/target';
import { UPLOAD_WAIT_MAX_SECONDS } from '../../capture/uploadWait';
import { SERVICE_DEFAULT_TIME_LIMIT_SECONDS } from './followSchedule';
import { enterPhase, now, publishStatus, type FollowedCapture, type Run, type Step } from './run';
import { callStep, StepFailure } from './steps';

/** Waits between two looks at the session count while no slot is free; the last one repeats. */
const SLOT_WAIT_GAPS_SECONDS = [30, 60, 120, 240, 300] as const;

/** Running captures named in a failure's details, at most. */
const NAMES_REPORTED = 20;

/**
 * The phases `waitingForSlot` and `creating`: a capture already running on the VM is joined,
 * never duplicated. Otherwise the run needs a slot under CAPTURE_SESSION_LIMIT, which it counts
 * twice: the watcher's active sessions, anyone's (a soft count, it may be stale a moment later),
 * and a lease on one of the app's own slots for the watcher (hard: see leaseCaptureSlot). With
 * both, it creates its capture; Network Watcher may still refuse it when its own limit is
 * reached (stopped captures may count there). Meanwhile it waits with durable timers, backing
 * off, up to CAPTURE_SLOT_WAIT_SECONDS; a StopCapture event cancels it before anything exists.
 */
export function* createOrJoin(
  run: Run,
  target: ResolvedTarget,
  slotWaitSeconds: number,
): Step<FollowedCapture> {
  const since = now(run);
  const waitingUntil = new Date(since.getTime() + slotWaitSeconds * 1000);
  let last: SlotLook | undefined;
  for (let waits = 0; ; waits += 1) {
    const waited = () => {
      if (waits > 0) run.slotWaitSeconds = (now(run).getTime() - since.getTime()) / 1000;
    };
    const inspected = yield* callStep(run, 'inspectCaptures', {
      instanceId: run.instanceId,
      vmId: target.vm.id,
      networkWatcherId: target.networkWatcher.id,
    });
    run.slot = {
      sessionLimit: inspected.sessionLimit,
      freeSlots: inspected.freeSlots,
      running: inspected.runningCount,
      ...(run.slot?.refusedByService && { refusedByService: run.slot.refusedByService }),
    };
    const own = inspected.onThisVm && isOwnCapture(run, target, inspected.onThisVm);
    if (inspected.onThisVm && !own) {
      waited();
      return join(run, target, inspected.onThisVm);
    }
    last = { inspected };
    if (own || inspected.freeSlots > 0) {
      const lease = yield* leaseSlot(run, target);
      if (lease.granted) {
        const capture = yield* create(run, target);
        if (capture) {
          waited();
          return capture;
        }
        run.slot.refusedByService = (run.slot.refusedByService ?? 0) + 1;
      } else {
        run.slot.freeSlots = 0;
        run.slot.running = Math.max(run.slot.running, lease.held);
        last = { inspected, leaseHolders: lease.holders };
      }
    }
    if (now(run) >= waitingUntil) throw noSlot(run, target, last, since);
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

/** What the last look at the slots found, for the report of a run that never got one. */
interface SlotLook {
  inspected: ActivityOutput<'inspectCaptures'>;
  /** The app's captures holding every slot, when the lease was refused. */
  leaseHolders?: string[];
}

/** Seconds a lease lasts unless released first: the longest a capture and its file can take, and an hour. */
function leaseSeconds(run: Run): number {
  const capture = run.request.options?.timeLimitSeconds ?? SERVICE_DEFAULT_TIME_LIMIT_SECONDS;
  return Math.ceil(Math.min(capture, SERVICE_DEFAULT_TIME_LIMIT_SECONDS) + UPLOAD_WAIT_MAX_SECONDS + 3600);
}

function* leaseSlot(run: Run, target: ResolvedTarget): Step<ActivityOutput<'leaseCaptureSlot'>> {
  const captureName = ownCaptureName(run, target);
  const lease = yield* callStep(run, 'leaseCaptureSlot', {
    instanceId: run.instanceId,
    vmId: target.vm.id,
    networkWatcherId: target.networkWatcher.id,
    captureName,
    now: now(run).toISOString(),
    holdSeconds: leaseSeconds(run),
  });
  if (lease.granted) run.lease = { networkWatcherId: target.networkWatcher.id, captureName };
  return lease;
}

function noSlot(run: Run, target: ResolvedTarget, last: SlotLook | undefined, since: Date): StepFailure {
  const waitedSeconds = Math.round((now(run).getTime() - since.getTime()) / 1000);
  const limit = last?.inspected.sessionLimit ?? run.slot?.sessionLimit;
  const refused = run.slot?.refusedByService ?? 0;
  const why =
    refused > 0
      ? `Network Watcher refused the capture ${refused} time(s) for its own session limit (stopped captures that are not deleted may count); delete stopped captures on ${target.networkWatcher.name}, or wait for them to go.`
      : 'Stop a running capture, or raise CAPTURE_SESSION_LIMIT.';
  return new StepFailure(
    'CAPTURE_SLOT_TIMEOUT',
    `All ${limit} capture sessions of ${target.networkWatcher.name} stayed in use for ${waitedSeconds} s ` +
      `(CAPTURE_SLOT_WAIT_SECONDS); no capture was created. ${why}`,
    {
      step: 'acquireSlot',
      details: {
        networkWatcherId: target.networkWatcher.id,
        sessionLimit: limit,
        waitedSeconds,
        ...(refused > 0 && { refusedByService: refused }),
        running: (last?.inspected.running ?? [])
          .slice(0, NAMES_REPORTED)
          .map((c) => ({ name: c.name, target: c.target })),
        ...(last?.leaseHolders && { heldByThisApp: last.leaseHolders.slice(0, NAMES_REPORTED) }),
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
 * failure after the PUT can still clean the capture up. Undefined when Network Watcher refused it
 * for its session limit: nothing was created, the run waits for a slot again.
 */
function* create(run: Run, target: ResolvedTarget): Step<FollowedCapture | undefined> {
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
    startsNotBefore: run.startedAt,
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
    const code = error instanceof StepFailure ? error.code : undefined;
    // The name belongs to someone else's running capture, or the service refused it: nothing of
    // this run exists to clean up.
    if (code === 'CAPTURE_NAME_CONFLICT' || code === 'CAPTURE_SESSIONS_EXHAUSTED') run.capture = undefined;
    if (code === 'CAPTURE_SESSIONS_EXHAUSTED') return undefined;
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
    startsNotBefore: new Date(
      now(run).getTime() - (existing.timeLimitSeconds || SERVICE_DEFAULT_TIME_LIMIT_SECONDS) * 1000,
    ),
    seenRunning: existing.state.status === 'Running',
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
