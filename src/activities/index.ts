/* eslint-disable @typescript-eslint/no-require-imports -- each activity loads on its first call (lazyHandler) */
import * as df from 'durable-functions';
import { lazyHandler } from './lazyHandler';
import {
  CREATE_CAPTURE_ACTIVITY,
  DELETE_CAPTURE_ACTIVITY,
  GET_CAPTURE_STATUS_ACTIVITY,
  INSPECT_CAPTURES_ACTIVITY,
  NOTIFY_ACTIVITY,
  RESOLVE_TARGET_ACTIVITY,
  STOP_CAPTURE_ACTIVITY,
  VERIFY_CAPTURE_BLOB_ACTIVITY,
} from './names';

// Registers every activity with the Durable Functions app. An activity's module (zod schemas,
// Azure clients, the pcap reader) is `require`d when the activity first runs, not at start-up.

df.app.activity(RESOLVE_TARGET_ACTIVITY, {
  handler: lazyHandler(() => (require('./resolveTarget') as typeof import('./resolveTarget')).resolveTarget),
});
df.app.activity(INSPECT_CAPTURES_ACTIVITY, {
  handler: lazyHandler(
    () => (require('./inspectCaptures') as typeof import('./inspectCaptures')).inspectCaptures,
  ),
});
df.app.activity(CREATE_CAPTURE_ACTIVITY, {
  handler: lazyHandler(() => (require('./createCapture') as typeof import('./createCapture')).createCapture),
});
df.app.activity(GET_CAPTURE_STATUS_ACTIVITY, {
  handler: lazyHandler(
    () => (require('./getCaptureStatus') as typeof import('./getCaptureStatus')).getCaptureStatus,
  ),
});
df.app.activity(STOP_CAPTURE_ACTIVITY, {
  handler: lazyHandler(() => (require('./stopCapture') as typeof import('./stopCapture')).stopCapture),
});
df.app.activity(DELETE_CAPTURE_ACTIVITY, {
  handler: lazyHandler(() => (require('./deleteCapture') as typeof import('./deleteCapture')).deleteCapture),
});
df.app.activity(VERIFY_CAPTURE_BLOB_ACTIVITY, {
  handler: lazyHandler(
    () => (require('./verifyCaptureBlob') as typeof import('./verifyCaptureBlob')).verifyCaptureBlob,
  ),
});
df.app.activity(NOTIFY_ACTIVITY, {
  handler: lazyHandler(() => (require('./notify') as typeof import('./notify')).notify),
});
