import type { DurableClient } from 'durable-functions';
import type { ResolvedDecision } from '../alerts/decision';
import type { Config } from '../config';
import { findRun, isFinished, requestStop } from './durableRuns';

/** What a Resolved/Deactivated alert did to the VM's run. */
export type ResolvedOutcome = 'ignored' | 'stopRequested' | 'noActiveRun';

/**
 * A resolved alert never starts anything. With `RESOLVED_ALERT_ACTION=stop` it asks the VM's
 * active run, if there is one, to stop its capture early; the run then verifies and reports the
 * file as usual.
 * @throws AppError DURABLE_UNAVAILABLE when the backend fails.
 */
export async function settleResolvedAlert(
  client: DurableClient,
  decision: ResolvedDecision,
  action: Config['RESOLVED_ALERT_ACTION'],
): Promise<ResolvedOutcome> {
  if (action === 'ignore') return 'ignored';
  const run = await findRun(client, decision.instanceId);
  if (!run || isFinished(run.runtimeStatus)) return 'noActiveRun';
  await requestStop(client, decision.instanceId, {
    reason: `the alert${decision.alert.ruleName ? ` ${decision.alert.ruleName}` : ''} was resolved`,
    requestedBy: 'resolvedAlert',
  });
  return 'stopRequested';
}
