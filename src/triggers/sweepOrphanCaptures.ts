import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { appTable } from '../azure/appTables';
import { leasedWatchers } from '../azure/captureSlots';
import { packetCapturesOf } from '../azure/packetCaptures';
import { getConfig } from '../config';
import type { RunStatus } from '../orchestrators/contract';
import { invocationLog } from '../runtime/invocationLog';
import { sweepOrphans, type SweepSummary } from '../sweep/sweepOrphans';
import { findRun, isFinished } from './durableRuns';

/**
 * The timer that sweeps captures no run owns (see sweep/sweepOrphans): on the watchers the app
 * has held slots on, and NETWORK_WATCHER_ID. Also run on demand: `POST /admin/functions/
 * sweepOrphanCaptures` with the master key, as for any non-HTTP function.
 */
export async function sweepOrphanCaptures(timer: Timer, context: InvocationContext): Promise<SweepSummary> {
  const config = getConfig();
  const log = invocationLog(context, { function: 'sweepOrphanCaptures' });
  if (timer.isPastDue) log.info('sweep.pastDue');
  const client = df.getClient(context);
  const table = appTable('CaptureSlots');
  await table.createTable();
  const watchers = new Map<string, string>();
  for (const id of [
    ...(config.NETWORK_WATCHER_ID ? [config.NETWORK_WATCHER_ID] : []),
    ...(await leasedWatchers(table)),
  ]) {
    watchers.set(id.toLowerCase(), id);
  }
  return sweepOrphans({
    watchers: [...watchers.values()],
    captures: packetCapturesOf,
    runOf: async (instanceId) => {
      const run = await findRun(client, instanceId);
      if (!run) return undefined;
      const captureName = (run.customStatus as Partial<RunStatus> | undefined)?.captureName;
      return { live: !isFinished(run.runtimeStatus), ...(captureName && { captureName }) };
    },
    table,
    safeAgeSeconds: config.ORPHAN_SWEEP_AGE_SECONDS,
    nowMs: Date.now,
    log,
  });
}
