import { callStep } from './callStep';
import { checkUnlessMissed } from './check';
import {
  FOLLOW_POLICY,
  nextWake,
  planFollow,
  SERVICE_DEFAULT_TIME_LIMIT_SECONDS,
  settleGapSeconds,
} from './followSchedule';
import { confirmAlerts, noteAlert } from './followUp';
import { captureRef, hasStarted, now, type FollowedCapture, type Run, type Step } from './run';
import { enterPhase, publishStatus } from './runStatus';
import { StepFailure } from './StepFailure';

/**
 * Workflow step 6: follows the capture until it ends. One durable timer per check, raced with
 * the run's StopCapture and AlertFired waiters: a stop request is acted on at once, a new firing
 * gets a check at once (see followUp), otherwise the timer wakes the run for a status check (see
 * followSchedule). Past the deadline a capture of this app is
 * stopped; one the run only joined is left alone and reported.
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
    const woken = yield* sleepUntil(run, wake.at);
    if (woken === 'stop') {
      const request = run.stop.request ?? {};
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
 * Sleeps until `until` unless a StopCapture or an AlertFired event comes first (or came already:
 * a completed waiter must not be raced again). The timer is canceled when an event wins, so that
 * nothing keeps the run open.
 */
function* sleepUntil(run: Run, until: Date): Step<'timer' | 'stop' | 'alert'> {
  if (run.stop.arrived) return 'stop';
  if (run.alerts.arrived) return 'alert';
  const timer = run.context.df.createTimer(until);
  const stop = run.stop.task();
  const winner: unknown = yield run.context.df.Task.any([timer, stop, run.alerts.task()]);
  if (winner === timer) return 'timer';
  timer.cancel();
  return winner === stop ? 'stop' : 'alert';
}

/**
 * Stops the capture, then settles: a capture of this app still running would hold its slot, and
 * its file is only complete once Network Watcher reports it ended.
 */
export function* stopAndSettle(run: Run, capture: FollowedCapture): Step<void> {
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

function startTimeOf(capture: FollowedCapture): Date | undefined {
  const start = capture.state?.captureStartTime;
  return start ? new Date(start) : undefined;
}
