import { callStep } from './callStep';
import { hasStarted, type FollowedCapture, type Run, type Step } from './run';
import { enterPhase } from './runStatus';
import { StepFailure } from './StepFailure';

/**
 * Workflow steps 7–8: a capture that ended in error, or never started, has no file worth reading
 * and fails the run with Network Watcher's words; otherwise the file is verified (present, not
 * empty, pcap or pcapng) and summarised.
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
