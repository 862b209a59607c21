/* eslint-disable @typescript-eslint/no-require-imports -- the orchestrator's module loads on first use (lazyHandler) */
import * as df from 'durable-functions';
import { lazyHandler } from '../runtime/lazyHandler';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from './contract';

// Registers the orchestration under its name, which is also its file's. Its module is required on
// first use, like the activities', so that the app entry stays light.
df.app.orchestration(
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  lazyHandler(
    () =>
      (require('./captureOnAlert/captureOnAlert') as typeof import('./captureOnAlert/captureOnAlert'))
        .captureOnAlert,
  ),
);
