/**
 * Names shared with the HTTP triggers: they start the orchestration by this name and raise this
 * event to stop a running capture early. Changing either breaks instances already in flight.
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
