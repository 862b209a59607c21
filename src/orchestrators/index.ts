/* eslint-disable @typescript-eslint/no-require-imports -- the orchestrator's module loads on first use (lazyHandler) */
import * as df from 'durable-functions';
import { lazyHandler } from '../runtime/lazyHandler';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from './names';

// Registers the orchestration. Its module is required on first use, like the activities', so
// that the app entry stays light.
df.app.orchestration(
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  lazyHandler(
    () =>
      (require('./captureOnAlert/captureOnAlert') as typeof import('./captureOnAlert/captureOnAlert'))
        .captureOnAlert,
  ),
);

export {
  ALERT_FIRED_EVENT,
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  STOP_CAPTURE_EVENT,
  type StopCaptureEvent,
} from './names';
export type { RunPhase, RunStatus } from './captureOnAlert/runStatus';
export type { CaptureReport } from '../capture/report';
