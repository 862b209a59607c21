import { ERROR_CATALOG } from '../../errors/catalog';
import { callStep } from './callStep';
import { captureRef, hasEnded, now, type FollowedCapture, type Run, type Step } from './run';
import { reportErrorOf } from './reportError';
import { StepFailure } from './StepFailure';

/** One status check of the followed capture; true once Network Watcher says it has ended. */
function* checkCapture(run: Run, capture: FollowedCapture): Step<boolean> {
  const state = yield* callStep(run, 'getCaptureStatus', captureRef(run, capture));
  capture.state = state;
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
export function* checkUnlessMissed(run: Run, capture: FollowedCapture): Step<'ended' | 'active' | 'missed'> {
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
