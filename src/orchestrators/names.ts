/**
 * Names shared with the HTTP triggers: they start the orchestration by this name and raise this
 * event to stop a running capture early. Changing either breaks instances already in flight.
 */
export const CAPTURE_ON_ALERT_ORCHESTRATOR = 'captureOnAlert';

/** External event an operator raises to stop the capture now; its payload may carry a reason. */
export const STOP_CAPTURE_EVENT = 'StopCapture';

/** Payload of the `StopCapture` event (every field optional; a bare `null` is accepted too). */
export interface StopCaptureEvent {
  reason?: string;
  requestedBy?: string;
}
