import type { DurableClient } from 'durable-functions';
import type { CaptureDecision } from '../alerts/decision';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../orchestrators/names';
import { durableUnavailable, findRun, isFinished } from './durableRuns';

export interface StartOrJoinOutcome {
  instanceId: string;
  /** True when a run for the VM was already pending or running and this alert joined it. */
  joined: boolean;
  runtimeStatus: string;
  /** The status of the finished run this start replaced under the same id, if there was one. */
  replacedRuntimeStatus?: string;
}

/**
 * Starts the capture orchestration under the VM's instance id, or joins the run already pending
 * or running there. A finished run's id is started again (the Durable extension replaces a
 * Completed, Failed or Terminated instance), so a VM always has one current run under one id.
 *
 * Identical deliveries that race are settled by the Durable backend, which creates an instance
 * atomically: the losers' start is refused (the extension answers 500, which the SDK surfaces as
 * a plain error), and a second look finds the winner's run, which they join. Only when that
 * second look finds no active run is the failure real.
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export async function startOrJoinCapture(
  client: DurableClient,
  decision: CaptureDecision,
): Promise<StartOrJoinOutcome> {
  const { instanceId } = decision;
  const current = await findRun(client, instanceId);
  if (current && !isFinished(current.runtimeStatus)) {
    return { instanceId, joined: true, runtimeStatus: current.runtimeStatus };
  }
  try {
    await client.startNew(CAPTURE_ON_ALERT_ORCHESTRATOR, { instanceId, input: decision.request });
  } catch (startError) {
    const winner = await findRun(client, instanceId);
    if (winner && !isFinished(winner.runtimeStatus)) {
      return { instanceId, joined: true, runtimeStatus: winner.runtimeStatus };
    }
    throw durableUnavailable('start', instanceId, startError);
  }
  return {
    instanceId,
    joined: false,
    runtimeStatus: 'Pending',
    ...(current ? { replacedRuntimeStatus: current.runtimeStatus } : {}),
  };
}
