import type { ActivityOutput } from '../../activities/contract';
import type { CaptureReport, ReportCapture } from '../../capture/report';
import { fileLookGapSeconds, uploadWaitBudgetSeconds } from '../../capture/uploadWait';
import { collectLateAlerts, settle } from './follow';
import { buildReport, toNotificationReport } from './report';
import {
  captureRef,
  enterPhase,
  hasEnded,
  hasStarted,
  now,
  publishStatus,
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
  yield* waitForFile(run, capture, storagePath);
}

/**
 * Network Watcher transfers the file after the session, so the run looks for it until it is there
 * and unchanged between two looks (capture/uploadWait), within a budget sized from the session's
 * byte and time limits, and only then reads that very version (a newer one sends it back to
 * waiting). The report says how long it waited.
 */
function* waitForFile(run: Run, capture: FollowedCapture, storagePath: string): Step<void> {
  const budgetSeconds = uploadWaitBudgetSeconds(capture.settings);
  const since = now(run);
  const until = since.getTime() + budgetSeconds * 1000;
  const ref = { instanceId: run.instanceId, ...(run.target && { vmId: run.target.vm.id }), storagePath };
  let previous: { size: number; etag: string } | undefined;
  for (let looks = 1; ; looks += 1) {
    const look = yield* callStep(run, 'observeCaptureBlob', { ...ref, ...(previous && { previous }) });
    previous = look.present ? { size: look.size, etag: look.etag } : undefined;
    if (look.present && look.settled) {
      try {
        run.verified = yield* callStep(run, 'verifyCaptureBlob', { ...ref, etag: look.etag });
        run.fileWait = { waitedSeconds: secondsSince(run, since), looks, budgetSeconds };
        run.waitingFor = undefined;
        return;
      } catch (error) {
        if (!(error instanceof StepFailure) || error.code !== 'BLOB_CHANGED') throw error;
        previous = undefined;
      }
    }
    if (now(run).getTime() >= until) {
      run.waitingFor = undefined;
      throw fileNotReady(capture, look, secondsSince(run, since), looks);
    }
    if (!run.waitingFor) {
      run.waitingFor = { what: 'file', since };
      publishStatus(run);
    }
    yield run.context.df.createTimer(
      new Date(Math.min(now(run).getTime() + fileLookGapSeconds(looks - 1) * 1000, until)),
    );
  }
}

function secondsSince(run: Run, since: Date): number {
  return Math.round((now(run).getTime() - since.getTime()) / 1000);
}

function fileNotReady(
  capture: FollowedCapture,
  look: ActivityOutput<'observeCaptureBlob'>,
  waitedSeconds: number,
  looks: number,
): StepFailure {
  const limits = `byte limit ${capture.settings.bytesPerSession ?? 'unknown'}, time limit ${capture.settings.timeLimitSeconds ?? 'unknown'} s`;
  const details = { capture: capture.name, waitedSeconds, looks, ...(look.present && { size: look.size }) };
  if (!look.present) {
    return new StepFailure(
      'BLOB_NOT_FOUND',
      `The file of packet capture ${capture.name} did not reach storage in the ${waitedSeconds} s waited for it (sized from its ${limits}). ` +
        "Network Watcher uploads it after the session: check the storage account's firewall and shared-key access.",
      { step: 'observeCaptureBlob', details },
    );
  }
  return new StepFailure(
    'BLOB_CHANGED',
    `The file of packet capture ${capture.name} was still changing after the ${waitedSeconds} s waited for it (sized from its ${limits}); it was not read.`,
    { step: 'observeCaptureBlob', details },
  );
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
  yield* releaseSlot(run, cleanup);
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

/**
 * Gives the run's session slot back once its capture is gone (or never came). A capture that
 * stays (not seen to end, or its delete failed) keeps its slot: it still counts, and the orphan
 * sweep frees the slot once it deletes it.
 */
function* releaseSlot(run: Run, cleanup: ReportCapture['cleanup']): Step<void> {
  const lease = run.lease;
  if (!lease) return;
  const stays = (cleanup === 'kept' || cleanup === 'failed') && run.capture?.name === lease.captureName;
  if (stays) return;
  try {
    yield* callStep(run, 'releaseCaptureSlot', {
      instanceId: run.instanceId,
      ...(run.target && { vmId: run.target.vm.id }),
      networkWatcherId: lease.networkWatcherId,
      captureName: lease.captureName,
      now: now(run).toISOString(),
    });
    run.lease = undefined;
  } catch (error) {
    run.warnings.push(reportErrorOf(error, 'cleaningUp'));
  }
}
