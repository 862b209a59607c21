import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityResult } from '../../src/activities/activityResult';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../src/activities/contract';
import { captureNameFor } from '../../src/capture/naming';
import { isCaptureActive } from '../../src/capture/session';
import type { CaptureRequest } from '../../src/capture/types';
import { stepRetryOptions } from '../../src/orchestrators/captureOnAlert/steps';

export const POLLING_BASELINE = 'captureByPollingEvery10s';
const POLL_INTERVAL_MS = 10_000;

/**
 * What the comparison is against: the same activities in the same order, but the capture is
 * followed the plain way, one timer and one status query every 10 s until it ends.
 */
function* pollEvery10Seconds(context: OrchestrationContext) {
  const request = context.df.getInput() as CaptureRequest;
  const instanceId = context.df.instanceId;
  const call = function* <N extends ActivityName>(
    name: N,
    input: ActivityInput<N>,
  ): Generator<Task, ActivityOutput<N>, unknown> {
    const result = (yield context.df.callActivityWithRetry(
      name,
      stepRetryOptions(),
      input,
    )) as ActivityResult<ActivityOutput<N>>;
    if (!result.ok) throw new Error(`${name} failed: [${result.error.code}] ${result.error.message}`);
    return result.value;
  };
  const target = yield* call('resolveTarget', { instanceId, vmId: request.vmId });
  const networkWatcherId = target.networkWatcher.id;
  yield* call('inspectCaptures', { instanceId, vmId: target.vm.id, networkWatcherId });
  const captureName = captureNameFor({
    vmName: target.vm.name,
    vmId: target.vm.id,
    orchestrationTime: context.df.currentUtcDateTime,
  });
  yield* call('createCapture', {
    instanceId,
    vm: target.vm,
    networkWatcherId,
    orchestrationTime: context.df.currentUtcDateTime.toISOString(),
    options: request.options,
    captureName,
  });
  const ref = { instanceId, networkWatcherId, captureName };
  let status: ActivityOutput<'getCaptureStatus'>;
  do {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + POLL_INTERVAL_MS));
    status = yield* call('getCaptureStatus', ref);
  } while (isCaptureActive(status, status));
  const endNoticedAt = context.df.currentUtcDateTime.toISOString();
  if (!status.storagePath) throw new Error(`capture ${captureName} has no storage path`);
  yield* call('verifyCaptureBlob', { instanceId, storagePath: status.storagePath });
  yield* call('notify', {
    instanceId,
    report: { outcome: 'succeeded', instanceId, vm: { id: target.vm.id, name: target.vm.name } },
  });
  yield* call('deleteCapture', ref);
  return { captureName, status: status.status, stopReason: status.stopReason, endNoticedAt };
}

export function registerPollingBaseline(): void {
  df.app.orchestration(POLLING_BASELINE, pollEvery10Seconds);
}
