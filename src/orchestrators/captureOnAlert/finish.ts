import type { CaptureReport, ReportCapture } from '../../capture/report';
import { buildReport } from './buildReport';
import { callStep } from './callStep';
import { collectLateAlerts } from './followUp';
import { toNotificationReport } from './notificationReport';
import { reportErrorOf } from './reportError';
import { captureRef, hasEnded, type Run, type Step } from './run';
import { enterPhase } from './runStatus';

/**
 * Workflow steps 9–10, for every run whatever its outcome: notify (a failed notification is
 * reported, never fatal), then delete the capture resource if this app created it and it is known
 * to have ended (the file in storage stays), and return the report.
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
