import { STOP_CAPTURE_ACTIVITY } from '../../activities/names';
import { callStep } from './callStep';
import { reportErrorOf } from './reportError';
import { captureRef, type Run, type Step } from './run';

/**
 * After a failure: a capture of this app that may still be running is stopped, so that it frees
 * its session and Network Watcher keeps what it captured. A capture the run only joined is left
 * alone. A stop that fails too is reported as a warning; the cleanup later deletes the resource.
 */
export function* compensate(run: Run): Step<void> {
  const capture = run.capture;
  if (!capture || !capture.owned || capture.ended) return;
  try {
    yield* callStep(run, STOP_CAPTURE_ACTIVITY, captureRef(run, capture));
    capture.stoppedBy ??= 'compensation';
  } catch (error) {
    run.warnings.push(reportErrorOf(error, 'compensating'));
  }
}
