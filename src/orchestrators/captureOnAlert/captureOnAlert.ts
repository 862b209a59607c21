import type { OrchestrationContext } from 'durable-functions';
import type { CaptureReport } from '../../capture/report';
import { createOrJoin } from './createOrJoin';
import { compensate, finish, verifyCapture } from './finish';
import { followCapture } from './follow';
import { prepare } from './prepare';
import { followUpInput, publishStatus, startRun, type Step } from './run';
import { reportErrorOf } from './steps';

/**
 * The run for one alert on one VM, phase by phase (docs/orchestration.md): prepare, join the
 * capture already running on the VM or create one once a slot is free, follow it, verify and
 * analyse its file; on any failure, compensate. Every run ends with a notification, the cleanup
 * and a CaptureReport as its output, whatever happened.
 *
 * Deterministic: no I/O, no clock but the orchestration's, no randomness; the phases keep to
 * that too.
 */
export function* captureOnAlert(context: OrchestrationContext): Step<CaptureReport> {
  const run = startRun(context);
  try {
    const { settings, target } = yield* prepare(run);
    const capture = yield* createOrJoin(run, target, settings.slotWaitSeconds);
    yield* followCapture(run, capture, settings.checkIntervalSeconds);
    yield* verifyCapture(run, capture);
  } catch (error) {
    run.error = reportErrorOf(error, run.phase);
    publishStatus(run);
    yield* compensate(run);
  }
  const report = yield* finish(run);
  // A firing that came after the capture ended gets its own capture, under the same instance id.
  if (run.followUp) context.df.continueAsNew(followUpInput(run.followUp, report));
  return report;
}
