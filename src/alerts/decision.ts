import type { AlertOrigin, CaptureRequest } from '../capture/types';
import type { Problem } from '../http/problem';

/** Start a capture on the VM, or join the orchestration already running for it (same instance id). */
export interface CaptureDecision {
  kind: 'capture';
  instanceId: string;
  request: CaptureRequest;
}

/**
 * The alert was resolved: nothing starts. The trigger either ignores it or stops the VM's running
 * capture early, as `RESOLVED_ALERT_ACTION` says.
 */
export interface ResolvedDecision {
  kind: 'resolved';
  instanceId: string;
  vmId: string;
  alert: AlertOrigin;
}

/** The alert cannot be acted on; `problem.status` is a 4xx so that Azure Monitor does not retry it. */
export interface RefusedDecision {
  kind: 'refused';
  problem: Problem;
}

export type AlertDecision = CaptureDecision | ResolvedDecision | RefusedDecision;
