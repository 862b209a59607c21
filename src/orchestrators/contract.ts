import type { CaptureStatus } from '../capture/session';

/**
 * What the HTTP triggers may know of the orchestration: the name they start it by, the events
 * they raise to it, and the custom status they read from it. Changing a name or an event breaks
 * instances already in flight. The name is also the file of the orchestrator function
 * (captureOnAlert/captureOnAlert.ts).
 */
export const CAPTURE_ON_ALERT_ORCHESTRATOR = 'captureOnAlert';

/** External event an operator raises to stop the capture now; its payload may carry a reason. */
export const STOP_CAPTURE_EVENT = 'StopCapture';

/** Payload of the `StopCapture` event (every field optional; a bare `null` is accepted too). */
export interface StopCaptureEvent {
  /** Free text shown in the report and the notification. */
  reason?: string;
  /** `resolvedAlert` when a resolved alert asked for the stop; anything else counts as an operator. */
  requestedBy?: string;
}

/**
 * External event the webhook raises to the VM's running run when another alert joins it; its
 * payload is that alert's CaptureRequest. A capture still running covers the alert; one that has
 * ended does not, and the run captures again for it (continueAsNew).
 */
export const ALERT_FIRED_EVENT = 'AlertFired';

/** Where a run is. The orchestrator's phases are named after them (docs/orchestration.md). */
export type RunPhase =
  | 'preparing'
  | 'waitingForSlot'
  | 'creating'
  | 'capturing'
  | 'stopping'
  | 'verifying'
  | 'notifying'
  | 'cleaningUp'
  | 'succeeded'
  | 'failed';

/** Phases in which the run's capture is still to come or running: a later firing it covers. */
export const LIVE_PHASES: ReadonlySet<RunPhase> = new Set([
  'preparing',
  'waitingForSlot',
  'creating',
  'capturing',
]);

/**
 * The custom status of a run, as the status API and Durable Functions Monitor show it: where the
 * run is, since when, and what it waits for. Kept small (the extension refuses more than 16 KB).
 */
export interface RunStatus {
  phase: RunPhase;
  /** When the run entered this phase. */
  since: string;
  /** VM name, and its id. */
  vm: string;
  vmId: string;
  captureName?: string;
  startedAt: string;
  /** The run follows a capture it found running on the VM instead of creating one. */
  joined?: boolean;
  slot?: {
    sessionLimit: number;
    freeSlots: number;
    running: number;
    waitingUntil?: string;
    /** Creates Network Watcher refused for its own session limit. */
    refusedByService?: number;
  };
  capture?: {
    status?: CaptureStatus;
    startedAt?: string;
    expectedEndAt?: string;
    deadlineAt?: string;
    nextCheckAt?: string;
    checks: { coarse: number; fast: number; onAlert?: number };
  };
  stopRequested?: { reason?: string; requestedBy?: string };
  /**
   * Waiting for Azure to honour the app's new role assignments (`permissions`, in `step`), or for
   * the capture file to reach storage and settle (`file`).
   */
  waitingFor?: { what: 'permissions' | 'file'; since: string; step?: string };
  error?: { code: string; message: string };
}
