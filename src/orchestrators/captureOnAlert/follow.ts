import { isSameFiring } from '../../alerts/firing';
import type { AlertOrigin } from '../../capture/types';
import { ERROR_CATALOG } from '../../errors/catalog';
import {
  FOLLOW_POLICY,
  nextWake,
  planFollow,
  SERVICE_DEFAULT_TIME_LIMIT_SECONDS,
  settleGapSeconds,
} from './followSchedule';
import {
  captureRef,
  enterPhase,
  hasEnded,
  hasStarted,
  now,
  publishStatus,
  startTimeOf,
  type FollowedCapture,
  type Run,
  type Step,
} from './run';
import { callStep, reportErrorOf, StepFailure } from './steps';

/**
 * The phases `capturing` and `stopping`: follows the capture until it ends. One durable timer per
 * check (when, see followSchedule), raced with the run's StopCapture and AlertFired events: a stop
 * request is acted on at once, a new firing gets a check at once. Past the deadline a capture of
 * this app is stopped; one the run only joined is left alone and reported.
 */
export function* followCapture(run: Run, capture: FollowedCapture, checkIntervalSeconds: number): Step<void> {
  enterPhase(run, 'capturing');
  for (;;) {
    capture.plan = planFollow({
      anchor: capture.createdAt,
      startedAt: startTimeOf(capture),
      timeLimitSeconds: capture.settings.timeLimitSeconds ?? SERVICE_DEFAULT_TIME_LIMIT_SECONDS,
      checkIntervalSeconds,
    });
    const wake = nextWake(capture.plan, now(run), run.checks.fast, !hasStarted(capture));
    if (wake.kind === 'deadline') {
      yield* stopAtDeadline(run, capture);
      return;
    }
    run.nextCheckAt = wake.at;
    publishStatus(run);
    const woken = yield* run.signals.sleep(wake.at, { stop: true, alert: true });
    if (woken === 'stop') {
      const request = run.signals.stopRequest ?? {};
      capture.stoppedBy = request.requestedBy === 'resolvedAlert' ? 'resolvedAlert' : 'operator';
      capture.stopRequest = { at: now(run).toISOString(), ...request };
      yield* stopAndSettle(run, capture);
      return;
    }
    // A new alert is checked for at once: a capture that has ended unnoticed does not cover it.
    if (woken === 'alert') {
      if (!noteAlert(run)) continue;
      run.checks.onAlert = (run.checks.onAlert ?? 0) + 1;
    } else if (wake.kind === 'fast') run.checks.fast += 1;
    // The check at the expected end belongs to the planned sleep; fast checks are the ones after it.
    else run.checks.coarse += 1;
    const seen = yield* checkUnlessMissed(run, capture);
    confirmAlerts(run, seen);
    if (seen === 'ended') {
      capture.stoppedBy = 'service';
      return;
    }
    if (seen === 'active' && !hasStarted(capture) && now(run) >= capture.plan.startGraceEndsAt) {
      yield* stopNeverStarted(run, capture);
    }
  }
}

/**
 * Stops the capture, then settles: a capture of this app still running would hold its slot, and
 * its file is only complete once Network Watcher reports it ended.
 */
function* stopAndSettle(run: Run, capture: FollowedCapture): Step<void> {
  enterPhase(run, 'stopping');
  run.nextCheckAt = undefined;
  yield* callStep(run, 'stopCapture', captureRef(run, capture));
  yield* settle(run, capture);
}

/**
 * After a stop, checks (fast, a few times) until Network Watcher reports the capture ended. If it
 * still has not after FOLLOW_POLICY.settleAfterStopSeconds, the run fails with
 * CAPTURE_DEADLINE_EXCEEDED rather than read a file that is not finished.
 */
export function* settle(run: Run, capture: FollowedCapture): Step<void> {
  const settleUntil = now(run).getTime() + FOLLOW_POLICY.settleAfterStopSeconds * 1000;
  for (let checks = 0; ; checks += 1) {
    if ((yield* checkUnlessMissed(run, capture)) === 'ended') return;
    if (now(run).getTime() >= settleUntil) {
      throw new StepFailure(
        'CAPTURE_DEADLINE_EXCEEDED',
        `Packet capture ${capture.name} was stopped but still reports ${capture.state?.status ?? 'no status'} ` +
          `${FOLLOW_POLICY.settleAfterStopSeconds} s later; check it in the Network Watcher portal.`,
        { step: 'stopCapture', details: { capture: capture.name, status: capture.state?.status } },
      );
    }
    const wake = Math.min(now(run).getTime() + settleGapSeconds(checks) * 1000, settleUntil);
    yield run.context.df.createTimer(new Date(wake));
    run.checks.fast += 1;
  }
}

function* stopAtDeadline(run: Run, capture: FollowedCapture): Step<void> {
  if (!capture.owned) {
    throw new StepFailure(
      'CAPTURE_DEADLINE_EXCEEDED',
      `Packet capture ${capture.name}, which this app did not create, still reports ${capture.state?.status ?? 'no status'} ` +
        `past its expected end; it is left running. Stop it in the Network Watcher portal if it should not run.`,
      {
        step: 'followCapture',
        details: { capture: capture.name, deadlineAt: capture.plan?.deadlineAt.toISOString() },
      },
    );
  }
  capture.stoppedBy = 'deadline';
  yield* stopAndSettle(run, capture);
}

/**
 * Past the start grace a capture never seen running will not start: the agent did not pick it up.
 * One of this app is stopped (it holds a session slot) before the run fails; one the run only
 * joined is left to its owner.
 */
function* stopNeverStarted(run: Run, capture: FollowedCapture): Step<never> {
  const graceSeconds = (capture.plan!.startGraceEndsAt.getTime() - capture.createdAt.getTime()) / 1000;
  const status = capture.state?.status ?? 'no status';
  if (capture.owned) {
    capture.stoppedBy = 'deadline';
    yield* stopAndSettle(run, capture);
  }
  throw new StepFailure(
    'CAPTURE_NOT_STARTED',
    `Packet capture ${capture.name} still reported ${status} ${graceSeconds} s after it was ` +
      `${capture.mode}, so it ${capture.owned ? 'was stopped' : 'is left to its owner'}: there is no file. ` +
      'The Network Watcher agent on the VM did not pick it up: check the agent extension and the VM guest agent.',
    {
      step: 'followCapture',
      details: { capture: capture.name, status, startGraceSeconds: graceSeconds },
    },
  );
}

// ---- Checks ----

/** One status check of the followed capture; true once Network Watcher says it has ended. */
function* checkCapture(run: Run, capture: FollowedCapture): Step<boolean> {
  const state = yield* callStep(run, 'getCaptureStatus', captureRef(run, capture));
  capture.state = state;
  if (state.status === 'Running') capture.seenRunning = true;
  if (state.storagePath) capture.storagePath = state.storagePath;
  if (!hasEnded(capture)) return false;
  run.endNoticedAt = now(run);
  run.nextCheckAt = undefined;
  return true;
}

/**
 * A check whose retries ran out on a passing outage (ARM 429/5xx) is a missed check, noted as a
 * warning: the capture keeps running meanwhile, and the deadline still bounds the run. Only a
 * permanent failure ends the following.
 */
function* checkUnlessMissed(run: Run, capture: FollowedCapture): Step<'ended' | 'active' | 'missed'> {
  try {
    return (yield* checkCapture(run, capture)) ? 'ended' : 'active';
  } catch (error) {
    if (!(error instanceof StepFailure) || !ERROR_CATALOG[error.code].retriable) throw error;
    noteMissedCheck(run, error);
    return 'missed';
  }
}

/** One warning per failure code, counting the checks it made the run miss. */
function noteMissedCheck(run: Run, error: StepFailure): void {
  const earlier = run.warnings.find(
    (warning) => warning.step === 'getCaptureStatus' && warning.code === error.code,
  );
  const at = now(run).toISOString();
  if (earlier?.details) {
    earlier.details.missedChecks = Number(earlier.details.missedChecks) + 1;
    earlier.details.lastMissedAt = at;
    return;
  }
  const warning = reportErrorOf(error, run.phase);
  warning.details = { ...warning.details, missedChecks: 1, lastMissedAt: at };
  run.warnings.push(warning);
}

// ---- Later firings and the follow-up ----

/**
 * Takes the AlertFired event that woke the run: true when it is a new firing (not the run's own
 * alert, nor one already noted), which the run must then check the capture for.
 */
function noteAlert(run: Run): boolean {
  const request = run.signals.takeAlert();
  if (!request || isKnown(run, request.alert)) return false;
  run.unconfirmedAlerts.push(request);
  return true;
}

/**
 * What a successful check says about the alerts that came since the previous one: a capture
 * still active covers them; one that has ended does not, so the latest becomes the follow-up.
 */
function confirmAlerts(run: Run, seen: 'ended' | 'active' | 'missed'): void {
  if (seen === 'missed' || run.unconfirmedAlerts.length === 0) return;
  const alerts = run.unconfirmedAlerts;
  run.unconfirmedAlerts = [];
  if (seen === 'active') {
    run.joinedAlerts.push(...alerts.map((r) => r.alert));
    return;
  }
  run.followUp = alerts.at(-1);
  run.joinedAlerts.push(...alerts.slice(0, -1).map((r) => r.alert));
}

/**
 * At the end of a run that saw its capture end: a new firing that came after its last look at
 * the capture gets a follow-up capture. A run that failed before (no capture, or one never seen
 * to end) does not look: a firing then joined this run's outcome, and a retry of it starts anew.
 */
export function* collectLateAlerts(run: Run): Step<void> {
  // Noted while capturing and never confirmed (the run failed first): they joined this run.
  run.joinedAlerts.push(...run.unconfirmedAlerts.map((r) => r.alert));
  run.unconfirmedAlerts = [];
  if (!run.capture || !run.endNoticedAt) return;
  for (const request of yield* run.signals.drainAlerts(now(run))) {
    if (isKnown(run, request.alert)) continue;
    if (run.followUp) run.joinedAlerts.push(run.followUp.alert);
    run.followUp = request;
  }
}

function isKnown(run: Run, alert: AlertOrigin): boolean {
  return [
    run.request.alert,
    run.followUp?.alert,
    ...run.joinedAlerts,
    ...run.unconfirmedAlerts.map((r) => r.alert),
  ].some((known) => known && isSameFiring(known, alert));
}
