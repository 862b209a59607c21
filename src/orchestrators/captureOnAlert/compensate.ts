import { callStep } from './callStep';
import { settle } from './follow';
import { reportErrorOf } from './reportError';
import { captureRef, hasEnded, hasStarted, type Run, type Step } from './run';
import { verifyCapture } from './verify';

/**
 * After a failure: a capture of this app that may still be running is stopped, so that it frees
 * its session and Network Watcher keeps what it captured. A capture the run only joined is left
 * alone. Once stopped, the run still waits for the end and verifies the file, best effort: what
 * was captured up to the failure is often what the operator needs. A step that fails here is
 * reported as a warning; the outcome stays the first failure's.
 */
export function* compensate(run: Run): Step<void> {
  const capture = run.capture;
  if (!capture || !capture.owned || hasEnded(capture)) return;
  try {
    yield* callStep(run, 'stopCapture', captureRef(run, capture));
    capture.stoppedBy ??= 'compensation';
  } catch (error) {
    run.warnings.push(reportErrorOf(error, 'compensating'));
    return;
  }
  try {
    yield* settle(run, capture);
    // A capture that never ran or ended in error has no file; the run's error already says why.
    if (hasStarted(capture) && capture.state?.status !== 'Error' && capture.storagePath) {
      yield* verifyCapture(run, capture);
    }
  } catch (error) {
    run.warnings.push(reportErrorOf(error, run.phase === 'verifying' ? 'verifying' : 'compensating'));
  }
}
