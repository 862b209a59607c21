import type { RequestRecord } from '../../../local/emulator/types';
import type { CaptureReport } from '../../../src/capture/report';

/** What a run must have ended in, given what was done to its capture. */
export type Expected =
  { outcome: 'succeeded' } | { outcome: 'failed'; code: string; captureError?: string; why: string };

export interface KnownCaptureFaults {
  /** VMs whose agent stops mid-capture (emulator capture fault `agentStopped`). */
  agentStops: ReadonlySet<string>;
  /** VMs whose captures upload an empty file (capture fault `emptyFile`). */
  emptyFiles: ReadonlySet<string>;
}

/**
 * The outcome a run owes its operators. Faults a retry can get past (throttling, 5xx, cut
 * connections, slowness, blob read errors, a host restart) must leave no trace in the outcome;
 * only what destroyed the capture itself may fail the run, and then with the catalogued code and
 * Network Watcher's own words.
 */
export function expectedOutcome(
  report: CaptureReport,
  faults: KnownCaptureFaults,
  uploads: readonly RequestRecord[],
): Expected {
  const vm = report.target.vmName.toLowerCase();
  const storagePath = report.capture?.storagePath;
  const upload = storagePath ? uploads.find((u) => storagePath.endsWith(u.path)) : undefined;
  if (faults.agentStops.has(vm)) {
    return {
      outcome: 'failed',
      code: 'CAPTURE_FAILED',
      captureError: 'AgentStopped',
      why: 'the agent stopped mid-capture: no file',
    };
  }
  if (upload && upload.status >= 400) {
    return {
      outcome: 'failed',
      code: 'CAPTURE_FAILED',
      captureError: 'StorageFailed',
      why: 'Network Watcher could not upload the file',
    };
  }
  if (faults.emptyFiles.has(vm)) {
    return { outcome: 'failed', code: 'BLOB_EMPTY', why: 'the capture file is empty' };
  }
  return { outcome: 'succeeded' };
}
