import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { AppError } from '../errors/AppError';
import { isStatusNotFound } from '../runtime/wireContracts';
import { STOP_CAPTURE_EVENT, type StopCaptureEvent } from '../orchestrators/contract';

/** Runtime statuses after which a run changes no more; its instance id may be started again. */
const FINISHED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

/** Whether a run has ended (Pending, Running, Suspended and ContinuedAsNew have not). */
export function isFinished(runtimeStatus: string): boolean {
  return FINISHED.has(runtimeStatus);
}

/**
 * The status of a run, or undefined when no instance has that id.
 * @throws AppError DURABLE_UNAVAILABLE (503, retriable) when the Durable backend fails.
 */
export async function findRun(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, { showInput: true });
  } catch (error) {
    // Only the SDK's 404 text means "no such run"; any other failure (task hub storage down,
    // extension restarting) must not pass for it.
    if (isStatusNotFound(error)) return undefined;
    throw durableUnavailable('read the status of', instanceId, error);
  }
}

/** The error for a Durable client call that failed for a reason a retry may fix. */
export function durableUnavailable(
  operation: string,
  instanceId: string | undefined,
  cause: unknown,
): AppError {
  const target = instanceId === undefined ? 'the capture runs' : `capture run ${instanceId}`;
  return new AppError(
    'DURABLE_UNAVAILABLE',
    `Could not ${operation} ${target}: the Durable Functions backend did not answer as expected. Retry shortly.`,
    { details: { operation, ...(instanceId === undefined ? {} : { instanceId }) }, cause },
  );
}

/**
 * Raises the orchestrator's StopCapture event. A run that ended meanwhile ignores it (the
 * extension answers 410, which the SDK accepts).
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export async function requestStop(
  client: DurableClient,
  instanceId: string,
  event: StopCaptureEvent,
): Promise<void> {
  try {
    await client.raiseEvent(instanceId, STOP_CAPTURE_EVENT, event);
  } catch (error) {
    throw durableUnavailable('send the stop request to', instanceId, error);
  }
}
