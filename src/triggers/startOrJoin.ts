import type { DurableClient } from 'durable-functions';
import type { CaptureDecision } from '../alerts/decision';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../orchestrators/names';
import { durableUnavailable, findRun, isFinished } from './durableRuns';

export interface StartOrJoinOutcome {
  instanceId: string;
  /** True when a run for the VM was already pending or running and this alert joined it. */
  joined: boolean;
  runtimeStatus: string;
}

/**
 * The Durable extension's (DTFx) refusal to start an id that is pending or running, as the SDK
 * passes it on inside its error message: "An Orchestration instance with the status Running
 * already exists."
 */
const ALREADY_EXISTS = /An Orchestration instance with the status (\w+) already exists/i;

/**
 * Starts the capture orchestration under the VM's instance id, or joins the run already pending
 * or running there. A finished run's id is started again: the Durable extension replaces a
 * Completed, Failed or Terminated instance (its default `overridableExistingInstanceStates`), so a
 * VM always has one current run, under one id.
 *
 * The start is tried first, as most alerts start a run: one call to the backend, which creates
 * an instance atomically. It refuses to start an id that is pending or running (the extension
 * answers 500 with the refusal below, which the SDK passes on in a plain error): this alert then
 * joins that run. It is a duplicate, a retry, or the loser of a race between identical deliveries.
 * Any other failure makes the run be looked up: when it is active the alert joins it, otherwise
 * the start failed for a real reason.
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export async function startOrJoinCapture(
  client: DurableClient,
  decision: CaptureDecision,
): Promise<StartOrJoinOutcome> {
  const { instanceId } = decision;
  try {
    await client.startNew(CAPTURE_ON_ALERT_ORCHESTRATOR, { instanceId, input: decision.request });
    return { instanceId, joined: false, runtimeStatus: 'Pending' };
  } catch (startError) {
    const refusal = startError instanceof Error ? ALREADY_EXISTS.exec(startError.message) : null;
    if (refusal) return { instanceId, joined: true, runtimeStatus: refusal[1]! };
    const current = await findRun(client, instanceId);
    if (current && !isFinished(current.runtimeStatus)) {
      return { instanceId, joined: true, runtimeStatus: current.runtimeStatus };
    }
    throw durableUnavailable('start', instanceId, startError);
  }
}
