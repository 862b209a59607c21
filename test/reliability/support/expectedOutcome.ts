import type { RequestRecord } from '../../../local/emulator/types';
import type { StoppedBy } from '../../../src/capture/report';

/** What a run must have ended in, given what was done to its capture. */
export type Expected =
  | { outcome: 'succeeded'; stoppedBy: StoppedBy[] }
  | { outcome: 'failed'; code: string; captureError?: string; noCapture?: boolean; why: string };

/** What is known of a run (a report, or the summary a follow-up run keeps of the one before). */
export interface RunFacts {
  vm: string;
  hasCapture: boolean;
  /** Where Network Watcher writes its capture's file. */
  storagePath?: string;
}

export interface KnownFates {
  /** VMs whose agent stops mid-capture (emulator capture fault `agentStopped`). */
  agentStops: ReadonlySet<string>;
  /** VMs whose captures upload an empty file (capture fault `emptyFile`). */
  emptyFiles: ReadonlySet<string>;
  /** VMs whose alert is resolved mid-capture (RESOLVED_ALERT_ACTION=stop). */
  resolved: ReadonlySet<string>;
}

/**
 * The outcome a run owes its operators. Faults a retry can get past (throttling, 5xx, cut
 * connections, slowness, timeouts, blob read errors, a host restart) must leave no trace in the
 * outcome; only what destroyed the capture itself may fail the run, and then with the catalogued
 * code and Network Watcher's own words. A resolved alert stops the capture early, or cancels a run
 * whose capture is not created yet (still waiting for a session slot, for instance).
 */
export function expectedOutcome(
  run: RunFacts,
  fates: KnownFates,
  uploads: readonly RequestRecord[],
): Expected {
  const vm = run.vm.toLowerCase();
  const storagePath = run.storagePath;
  const upload = storagePath ? uploads.find((u) => storagePath.endsWith(u.path)) : undefined;
  if (fates.agentStops.has(vm)) {
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
  if (fates.emptyFiles.has(vm)) {
    return { outcome: 'failed', code: 'BLOB_EMPTY', why: 'the capture file is empty' };
  }
  if (fates.resolved.has(vm)) {
    // A capture can also reach its time limit before the run acts on the stop: the check it was
    // waiting for when the stop came (60 times faster, a queue of a few seconds is minutes).
    return run.hasCapture
      ? { outcome: 'succeeded', stoppedBy: ['resolvedAlert', 'service'] }
      : {
          outcome: 'failed',
          code: 'RUN_CANCELLED',
          noCapture: true,
          why: 'resolved before its capture was created',
        };
  }
  return { outcome: 'succeeded', stoppedBy: ['service', 'deadline'] };
}
