import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { CaptureDecision } from '../alerts/decision';
import type { CaptureRequest } from '../capture/types';
import { isSameFiring } from '../alerts/firing';
import {
  ALERT_FIRED_EVENT,
  CAPTURE_ON_ALERT_ORCHESTRATOR,
  LIVE_PHASES,
  type RunPhase,
} from '../orchestrators/contract';
import { existingInstanceStatus } from '../runtime/wireContracts';
import { durableUnavailable, findRun, isFinished } from './durableRuns';

/**
 * How an alert joined the VM's run: it is the run's own alert again (a retry or a duplicate
 * delivery); the run's capture is still to come or running, so it covers the alert; or the run's
 * capture has ended, so the run captures again for it once it has finished (same instance id).
 * The run decides for good: a capture that ended unnoticed gets a follow-up too.
 */
export type JoinedAs = 'sameAlert' | 'liveCapture' | 'followUpCapture';

export interface StartOrJoinOutcome {
  instanceId: string;
  /** True when a run for the VM was already pending or running and this alert joined it. */
  joined: boolean;
  /** Only when joined. */
  joinedAs?: JoinedAs;
  runtimeStatus: string;
}

/**
 * Starts the capture orchestration under the VM's instance id, or joins the run already pending
 * or running there. A finished run's id is started again: the Durable extension replaces a
 * Completed, Failed or Terminated instance (its default `overridableExistingInstanceStates`), so a
 * VM always has one current run, under one id.
 *
 * The start is tried first, as most alerts start a run: one call to the backend, which creates
 * an instance atomically. It refuses to start an id that is pending or running (the extension
 * answers 500 with the refusal below, which the SDK passes on in a plain error), and so does any
 * other failure: the run is then looked up. When it is active the alert joins it; a different
 * firing is passed to it as an AlertFired event, so that a run whose capture has ended captures
 * again for it. A run that ended between the refusal and the look is started again, once.
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export function startOrJoinCapture(
  client: DurableClient,
  decision: CaptureDecision,
): Promise<StartOrJoinOutcome> {
  return startOrJoin(client, decision, { mayRetryStart: true });
}

async function startOrJoin(
  client: DurableClient,
  decision: CaptureDecision,
  options: { mayRetryStart: boolean },
): Promise<StartOrJoinOutcome> {
  const { instanceId } = decision;
  try {
    await client.startNew(CAPTURE_ON_ALERT_ORCHESTRATOR, { instanceId, input: decision.request });
    return { instanceId, joined: false, runtimeStatus: 'Pending' };
  } catch (startError) {
    const refused = existingInstanceStatus(startError) !== undefined;
    const current = await findRun(client, instanceId);
    if (current && !isFinished(current.runtimeStatus)) return join(client, decision, current);
    if (refused && options.mayRetryStart) return startOrJoin(client, decision, { mayRetryStart: false });
    throw durableUnavailable('start', instanceId, startError);
  }
}

async function join(
  client: DurableClient,
  decision: CaptureDecision,
  current: DurableOrchestrationStatus,
): Promise<StartOrJoinOutcome> {
  const { instanceId, request } = decision;
  const outcome = { instanceId, joined: true, runtimeStatus: current.runtimeStatus };
  const runAlert = (current.input as Partial<CaptureRequest> | null | undefined)?.alert;
  if (isSameFiring(runAlert, request.alert)) return { ...outcome, joinedAs: 'sameAlert' };
  try {
    await client.raiseEvent(instanceId, ALERT_FIRED_EVENT, request);
  } catch (error) {
    throw durableUnavailable('pass the alert to', instanceId, error);
  }
  const phase = (current.customStatus as { phase?: RunPhase } | null | undefined)?.phase;
  // A run not started yet has no status: its capture is still to come.
  const live = phase === undefined || LIVE_PHASES.has(phase);
  return { ...outcome, joinedAs: live ? 'liveCapture' : 'followUpCapture' };
}
