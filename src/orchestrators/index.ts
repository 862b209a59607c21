export { CAPTURE_ON_ALERT_ORCHESTRATOR, STOP_CAPTURE_EVENT, type StopCaptureEvent } from './names';
