import type { CaptureReport, ReportCapture } from '../../capture/report';
import { collectLateAlerts, settle } from './follow';
import { buildReport, toNotificationReport } from './report';
import {
  captureRef,
  enterPhase,
  hasEnded,
  hasStarted,
  type FollowedCapture,
  type Run,
  type Step,
} from './run';
import { callStep, reportErrorOf, StepFailure } from './steps';

/**
 * The phase `verifying`: a capture that ended in error, or never started, has no file worth
 * reading and fails the run with Network Watcher's words; otherwise the file is verified (present,
 * not empty, pcap or pcapng) and summarised.
 */
export function* verifyCapture(run: Run, capture: FollowedCapture): Step<void> {
  const state = capture.state;
  if (state?.status === 'Error') {
    const errors = state.errors.length > 0 ? state.errors.join(', ') : 'no error value given';
    throw new StepFailure(
      'CAPTURE_FAILED',
      `Network Watcher reports packet capture ${capture.name} failed: ${errors}` +
        `${state.stopReason ? ` (stop reason ${state.stopReason})` : ''}. Check the agent extension on the VM and the storage account.`,
      {
        step: 'followCapture',
        details: { capture: capture.name, errors: state.errors, stopReason: state.stopReason },
      },
    );
  }
  if (!hasStarted(capture)) {
    throw new StepFailure(
      'CAPTURE_NOT_STARTED',
      `Packet capture ${capture.name} ended without ever starting (status ${state?.status ?? 'unknown'}), so there is no file. ` +
        'The Network Watcher agent on the VM did not pick it up: check the agent extension and the VM guest agent.',
      {
        step: 'followCapture',
        details: { capture: capture.name, status: state?.status, stoppedBy: capture.stoppedBy },
      },
    );
  }
  const storagePath = capture.storagePath;
  if (!storagePath) {
    throw new StepFailure(
      'BLOB_LOCATION_INVALID',
      `Packet capture ${capture.name} has no storage path (it saves on the VM's disk only), so there is no file to verify.`,
      { step: 'verifyCaptureBlob', details: { capture: capture.name } },
    );
  }
  enterPhase(run, 'verifying');
  run.verified = yield* callStep(run, 'verifyCaptureBlob', {
    instanceId: run.instanceId,
    ...(run.target && { vmId: run.target.vm.id }),
    storagePath,
  });
}

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

/**
 * The phases `notifying` and `cleaningUp`, for every run whatever its outcome: notify (a failed
 * notification is reported, never fatal), then delete the capture resource if this app created
 * it and it is known to have ended (the file in storage stays), and return the report.
 */
export function* finish(run: Run): Step<CaptureReport> {
  enterPhase(run, 'notifying');
  const file = run.verified?.blob.url;
  try {
    run.notified = yield* callStep(run, 'notify', {
      instanceId: run.instanceId,
      report: {
        ...toNotificationReport(buildReport(run)),
        ...(run.statusUrl && { statusUrl: run.statusUrl }),
      },
      // notify signs the download link itself: a SAS URL must never enter the orchestration history.
      ...(file && { download: { blobUrl: file } }),
    });
  } catch (error) {
    run.notifyError = reportErrorOf(error, 'notifying');
  }
  const cleanup = yield* cleanUp(run);
  yield* collectLateAlerts(run);
  enterPhase(run, run.error ? 'failed' : 'succeeded');
  return buildReport(run, cleanup);
}

function* cleanUp(run: Run): Step<ReportCapture['cleanup']> {
  const capture = run.capture;
  if (!capture) return undefined;
  if (!capture.owned) return 'kept';
  // Deleting a capture that may still run would cut off the upload of its file.
  if (!hasEnded(capture)) {
    run.warnings.push({
      code: 'CAPTURE_KEPT_UNENDED',
      message:
        `Packet capture ${capture.name} was not seen to end (last status ${capture.state?.status ?? 'unknown'}), ` +
        'so it was kept rather than deleted: it may still be writing its file. ' +
        'Check it in the Network Watcher portal and delete it once it has ended.',
      phase: 'cleaningUp',
      details: { capture: capture.name, status: capture.state?.status },
    });
    return 'kept';
  }
  enterPhase(run, 'cleaningUp');
  try {
    const deleted = yield* callStep(run, 'deleteCapture', captureRef(run, capture));
    return deleted.outcome;
  } catch (error) {
    run.warnings.push(reportErrorOf(error, 'cleaningUp'));
    return 'failed';
  }
}
