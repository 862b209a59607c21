import type { DurableClient } from 'durable-functions';
import type { ResolvedDecision } from '../alerts/decision';
import type { AlertOrigin, CaptureRequest } from '../capture/types';
import type { Config } from '../config';
import { findRun, isFinished, requestStop } from './durableRuns';

/** What a Resolved/Deactivated alert did to the VM's run. */
export type ResolvedOutcome = 'ignored' | 'stopRequested' | 'noActiveRun' | 'otherAlert';

export interface ResolvedSettlement {
  outcome: ResolvedOutcome;
  /** Why nothing was stopped, for the webhook answer; absent when a stop was requested. */
  reason?: string;
}

/**
 * A resolved alert never starts anything. With `RESOLVED_ALERT_ACTION=stop` it asks the VM's
 * active run to stop its capture early, but only when the run was started by the same alert: a
 * second alert rule on the VM resolving must not cut off a capture another alert asked for.
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export async function settleResolvedAlert(
  client: DurableClient,
  decision: ResolvedDecision,
  action: Config['RESOLVED_ALERT_ACTION'],
): Promise<ResolvedSettlement> {
  if (action === 'ignore') return { outcome: 'ignored', reason: 'RESOLVED_ALERT_ACTION is ignore' };
  const run = await findRun(client, decision.instanceId);
  if (!run || isFinished(run.runtimeStatus)) {
    return { outcome: 'noActiveRun', reason: 'no capture is running on this VM' };
  }
  const runAlert = (run.input as Partial<CaptureRequest> | undefined)?.alert;
  if (!isSameAlert(decision.alert, runAlert)) {
    return {
      outcome: 'otherAlert',
      reason: `the capture running on this VM was started by ${describeAlert(runAlert)}, not by this alert`,
    };
  }
  await requestStop(client, decision.instanceId, {
    reason: `the alert${decision.alert.ruleName ? ` ${decision.alert.ruleName}` : ''} was resolved`,
    requestedBy: 'resolvedAlert',
  });
  return { outcome: 'stopRequested' };
}

/**
 * Alert ids are stable across an alert's Fired and Resolved deliveries; schemas without an id
 * (classic metric alerts) are matched by rule name. Neither known: never a match.
 */
function isSameAlert(resolved: AlertOrigin, run: AlertOrigin | undefined): boolean {
  if (!run) return false;
  if (resolved.alertId && run.alertId) return sameText(resolved.alertId, run.alertId);
  if (resolved.ruleName && run.ruleName) return sameText(resolved.ruleName, run.ruleName);
  return false;
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function describeAlert(alert: AlertOrigin | undefined): string {
  if (alert?.ruleName) return `alert rule ${alert.ruleName}`;
  if (alert?.alertId) return `alert ${alert.alertId}`;
  return 'another request';
}
