/** The activity names the orchestrator calls and the app entry registers (no other import: it loads at start-up). */
export const RESOLVE_TARGET_ACTIVITY = 'resolveTarget';
export const INSPECT_CAPTURES_ACTIVITY = 'inspectCaptures';
export const CREATE_CAPTURE_ACTIVITY = 'createCapture';
export const GET_CAPTURE_STATUS_ACTIVITY = 'getCaptureStatus';
export const STOP_CAPTURE_ACTIVITY = 'stopCapture';
export const DELETE_CAPTURE_ACTIVITY = 'deleteCapture';
export const VERIFY_CAPTURE_BLOB_ACTIVITY = 'verifyCaptureBlob';
export const NOTIFY_ACTIVITY = 'notify';
