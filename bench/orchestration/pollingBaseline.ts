import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { ActivityResult } from '../../src/activities/activityResult';
import type { CreateCaptureOutput } from '../../src/activities/createCapture';
import type { GetCaptureStatusOutput } from '../../src/activities/getCaptureStatus';
import {
  CREATE_CAPTURE_ACTIVITY,
  DELETE_CAPTURE_ACTIVITY,
  GET_CAPTURE_STATUS_ACTIVITY,
  INSPECT_CAPTURES_ACTIVITY,
  NOTIFY_ACTIVITY,
  RESOLVE_TARGET_ACTIVITY,
  VERIFY_CAPTURE_BLOB_ACTIVITY,
} from '../../src/activities/names';
import { captureNameFor } from '../../src/capture/naming';
import { isCaptureActive } from '../../src/capture/session';
import type { ResolvedTarget } from '../../src/capture/target';
import type { CaptureRequest } from '../../src/capture/types';
import { stepRetryOptions } from '../../src/orchestrators/captureOnAlert/stepRetry';

export const POLLING_BASELINE = 'captureByPollingEvery10s';
const POLL_INTERVAL_MS = 10_000;

/**
 * What the comparison is against: the same activities in the same order, but the capture is
 * followed the plain way, one timer and one status query every 10 s until it ends.
 */
function* pollEvery10Seconds(context: OrchestrationContext) {
  const request = context.df.getInput() as CaptureRequest;
  const instanceId = context.df.instanceId;
  const call = function* <T>(name: string, input: unknown) {
    const result = (yield context.df.callActivityWithRetry(
      name,
      stepRetryOptions(),
      input,
    )) as ActivityResult<T>;
    if (!result.ok) throw new Error(`${name} failed: [${result.error.code}] ${result.error.message}`);
    return result.value;
  };
  const target = yield* call<ResolvedTarget>(RESOLVE_TARGET_ACTIVITY, { instanceId, vmId: request.vmId });
  const networkWatcherId = target.networkWatcher.id;
  yield* call(INSPECT_CAPTURES_ACTIVITY, { instanceId, vmId: target.vm.id, networkWatcherId });
  const captureName = captureNameFor({
    vmName: target.vm.name,
    vmId: target.vm.id,
    orchestrationTime: context.df.currentUtcDateTime,
  });
  yield* call<CreateCaptureOutput>(CREATE_CAPTURE_ACTIVITY, {
    instanceId,
    vm: target.vm,
    networkWatcherId,
    orchestrationTime: context.df.currentUtcDateTime.toISOString(),
    options: request.options,
    captureName,
  });
  const ref = { instanceId, networkWatcherId, captureName };
  let status: GetCaptureStatusOutput;
  do {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + POLL_INTERVAL_MS));
    status = yield* call<GetCaptureStatusOutput>(GET_CAPTURE_STATUS_ACTIVITY, ref);
  } while (isCaptureActive(status, status));
  const endNoticedAt = context.df.currentUtcDateTime.toISOString();
  yield* call(VERIFY_CAPTURE_BLOB_ACTIVITY, { instanceId, storagePath: status.storagePath });
  yield* call(NOTIFY_ACTIVITY, {
    instanceId,
    report: { outcome: 'succeeded', instanceId, vm: { id: target.vm.id, name: target.vm.name } },
  });
  yield* call(DELETE_CAPTURE_ACTIVITY, ref);
  return { captureName, status: status.status, stopReason: status.stopReason, endNoticedAt };
}

export function registerPollingBaseline(): void {
  df.app.orchestration(POLLING_BASELINE, pollEvery10Seconds);
}
