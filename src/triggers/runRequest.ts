import type { HttpRequest } from '@azure/functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { MAX_INSTANCE_ID_LENGTH } from '../alerts/instanceId';
import { AppError } from '../errors/AppError';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../orchestrators/contract';
import { findRun } from './durableRuns';

/** The shape `captureInstanceId` produces: `capture-<vm name>-<16 hex digits>`. */
const RUN_ID = /^capture-[a-z0-9._-]+-[0-9a-f]{16}$/;

/**
 * The run id from the route. Only ids this app creates are accepted, so nothing else (other
 * orchestrations of the task hub, odd characters) ever reaches the Durable API through here.
 * @throws AppError REQUEST_INVALID
 */
export function runIdFrom(request: HttpRequest): string {
  const instanceId = request.params.instanceId ?? '';
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH || !RUN_ID.test(instanceId)) {
    throw new AppError(
      'REQUEST_INVALID',
      `"${instanceId.slice(0, MAX_INSTANCE_ID_LENGTH)}" is not a capture run id (capture-<vm name>-<16 hex digits>).`,
      { details: { field: 'instanceId' } },
    );
  }
  return instanceId;
}

/**
 * The capture run with that id.
 * @throws AppError RUN_NOT_FOUND when no capture orchestration has that id, DURABLE_UNAVAILABLE.
 */
export async function requireRun(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus> {
  const run = await findRun(client, instanceId);
  if (!run || run.name !== CAPTURE_ON_ALERT_ORCHESTRATOR) {
    throw new AppError(
      'RUN_NOT_FOUND',
      `No capture run has the id ${instanceId}; it never started, or its history was purged.`,
      { details: { field: 'instanceId', instanceId } },
    );
  }
  return run;
}

/** The VM a run was started for (its input's `vmId`), to label log lines. */
export function vmIdOf(input: unknown): string | undefined {
  const vmId = typeof input === 'object' && input !== null ? (input as { vmId?: unknown }).vmId : undefined;
  return typeof vmId === 'string' ? vmId : undefined;
}
