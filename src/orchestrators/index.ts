/* eslint-disable @typescript-eslint/no-require-imports -- modules load on first use (lazyHandler) */
import * as df from 'durable-functions';
import { lazyHandler } from '../activities/lazyHandler';
import { CAPTURE_ON_ALERT_ORCHESTRATOR, LOAD_RUN_SETTINGS_ACTIVITY } from './names';

// Registers the orchestration and the one activity only it uses. Their modules are required on
// first use, like the activities', so that the app entry stays light.
df.app.orchestration(
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  lazyHandler(
    () =>
      (require('./captureOnAlert/captureOnAlert') as typeof import('./captureOnAlert/captureOnAlert'))
        .captureOnAlert,
  ),
);
df.app.activity(LOAD_RUN_SETTINGS_ACTIVITY, {
  handler: lazyHandler(
    () =>
      (require('./captureOnAlert/runSettings') as typeof import('./captureOnAlert/runSettings'))
        .loadRunSettings,
  ),
});

export {
  ALERT_FIRED_EVENT,
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  STOP_CAPTURE_EVENT,
  type StopCaptureEvent,
} from './names';
export type { RunPhase, RunStatus } from './captureOnAlert/runStatus';
export type { CaptureReport } from '../capture/report';
