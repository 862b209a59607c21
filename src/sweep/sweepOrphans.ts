import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { captureInstanceId } from '../alerts/instanceId';
import { leasesOf, releaseSlot } from '../azure/captureSlots';
import type { PacketCaptureApi } from '../azure/packetCaptures';
import { toStorageError } from '../azure/storageErrors';
import { isAppCaptureName } from '../capture/naming';
import { isCaptureActive, type CaptureSession } from '../capture/session';
import type { InvocationLog } from '../runtime/invocationLog';
import { parseArmResourceId } from '../security/armResourceId';

/** What the sweep knows of a run: whether it still runs, and the capture its status names. */
export interface RunLook {
  live: boolean;
  captureName?: string;
}

export interface SweepDeps {
  /** The watchers to sweep: every one the app has held a slot on, and NETWORK_WATCHER_ID. */
  watchers: string[];
  captures: (watcherId: string) => PacketCaptureApi;
  /** The run of this instance id, or undefined when there is none. */
  runOf: (instanceId: string) => Promise<RunLook | undefined>;
  /** The app's table: the slot leases, and the sweep's own sightings. */
  table: TableClient;
  /** Seconds an orphan must have been seen before it is stopped and deleted. */
  safeAgeSeconds: number;
  nowMs: () => number;
  log: InvocationLog;
}

export interface SweepSummary {
  watchers: number;
  /** `ac-` captures found. */
  captures: number;
  /** Followed by a live run. */
  owned: number;
  /** Without a live run, not yet old enough to act on. */
  suspected: number;
  stopped: number;
  deleted: number;
  /** Slots freed: those of deleted orphans, and those of runs gone without releasing them. */
  slotsFreed: number;
  failed: number;
}

/** Sightings live beside the leases, in a partition of their own. */
const SIGHTINGS_PARTITION = 'orphanSightings';

/**
 * Finds the captures this app created (`ac-` names) that no live run owns, and stops and deletes
 * them once they have been seen so for `safeAgeSeconds`: creates Azure carried out after their
 * run gave up or ended, captures of runs that were terminated, captures a run could not delete.
 * A capture counts as owned while its VM's run is live and names it (or names no capture yet: it
 * may be about to). The age is the sweep's own: the first sighting is recorded, so a capture only
 * goes on a later sweep, never on the one that found it. Every action is logged and counted.
 */
export async function sweepOrphans(deps: SweepDeps): Promise<SweepSummary> {
  const summary: SweepSummary = {
    watchers: deps.watchers.length,
    captures: 0,
    owned: 0,
    suspected: 0,
    stopped: 0,
    deleted: 0,
    slotsFreed: 0,
    failed: 0,
  };
  const sightings = await readSightings(deps.table);
  const seenNow = new Set<string>();
  for (const watcherId of deps.watchers) {
    let listed: CaptureSession[];
    try {
      listed = (await deps.captures(watcherId).list()).filter((c) => isAppCaptureName(c.name));
    } catch (error) {
      summary.failed += 1;
      deps.log.warn('sweep.watcherUnreadable', { watcher: watcherId, error: describe(error) });
      continue;
    }
    summary.captures += listed.length;
    for (const capture of listed) {
      const key = sightingKey(capture.id);
      if (await isOwned(deps, capture)) {
        summary.owned += 1;
        continue;
      }
      seenNow.add(key);
      const firstSeenMs = sightings.get(key);
      if (firstSeenMs === undefined) {
        await writeSighting(deps.table, key, capture.id, deps.nowMs());
        summary.suspected += 1;
        deps.log.info('orphan.suspected', {
          capture: capture.name,
          target: capture.target,
          watcher: watcherId,
        });
        continue;
      }
      if (deps.nowMs() - firstSeenMs < deps.safeAgeSeconds * 1000) {
        summary.suspected += 1;
        continue;
      }
      await removeOrphan(deps, watcherId, capture, firstSeenMs, summary);
    }
    summary.slotsFreed += await freeAbandonedSlots(deps, watcherId, listed);
  }
  // A sighting of a capture that is gone, or owned again, is forgotten.
  for (const key of sightings.keys()) {
    if (!seenNow.has(key)) await deleteSighting(deps.table, key);
  }
  deps.log.info('orphans.swept', { ...summary });
  return summary;
}

async function isOwned(deps: SweepDeps, capture: CaptureSession): Promise<boolean> {
  const target = parseArmResourceId(capture.target);
  if (!target.ok) return false;
  const run = await deps.runOf(captureInstanceId(target.value));
  if (!run?.live) return false;
  return !run.captureName || run.captureName.toLowerCase() === capture.name.toLowerCase();
}

async function removeOrphan(
  deps: SweepDeps,
  watcherId: string,
  capture: CaptureSession,
  firstSeenMs: number,
  summary: SweepSummary,
): Promise<void> {
  const api = deps.captures(watcherId);
  try {
    const state = await api.status(capture.name);
    const active = isCaptureActive(capture, state);
    if (active && (await api.stop(capture.name))) summary.stopped += 1;
    if (await api.delete(capture.name)) summary.deleted += 1;
    const freed = await releaseSlot(deps.table, {
      watcherId,
      captureName: capture.name,
      nowMs: deps.nowMs(),
    });
    summary.slotsFreed += freed.length;
    await deleteSighting(deps.table, sightingKey(capture.id));
    deps.log.info('orphan.deleted', {
      capture: capture.name,
      target: capture.target,
      watcher: watcherId,
      status: state.status,
      stopped: active,
      firstSeenAt: new Date(firstSeenMs).toISOString(),
      slotsFreed: freed.length,
    });
  } catch (error) {
    summary.failed += 1;
    deps.log.warn('orphan.removeFailed', {
      capture: capture.name,
      watcher: watcherId,
      error: describe(error),
    });
  }
}

/**
 * Slots held by a run that is gone (terminated, purged) for a capture that no longer exists, and
 * never released: the lease would only free them at its expiry. A slot held on after release (a
 * PUT that may still land) is left to its expiry.
 */
async function freeAbandonedSlots(
  deps: SweepDeps,
  watcherId: string,
  listed: CaptureSession[],
): Promise<number> {
  let freed = 0;
  for (const lease of await leasesOf(deps.table, watcherId)) {
    if (lease.releasedAt || Date.parse(lease.expiresAt) <= deps.nowMs()) continue;
    if (listed.some((c) => c.name.toLowerCase() === lease.captureName.toLowerCase())) continue;
    if ((await deps.runOf(lease.instanceId))?.live) continue;
    const released = await releaseSlot(deps.table, {
      watcherId,
      captureName: lease.captureName,
      nowMs: deps.nowMs(),
    });
    freed += released.length;
    deps.log.info('slot.abandonedFreed', {
      capture: lease.captureName,
      watcher: watcherId,
      instanceId: lease.instanceId,
    });
  }
  return freed;
}

function sightingKey(captureId: string): string {
  return createHash('sha256').update(captureId.toLowerCase()).digest('hex').slice(0, 40);
}

async function readSightings(table: TableClient): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  try {
    for await (const row of table.listEntities<{ firstSeenAt: string }>({
      queryOptions: { filter: `PartitionKey eq '${SIGHTINGS_PARTITION}'` },
    })) {
      if (row.rowKey) found.set(row.rowKey, Date.parse(row.firstSeenAt));
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return found;
    throw toStorageError(error, 'read the orphan sightings in', table.tableName);
  }
  return found;
}

async function writeSighting(
  table: TableClient,
  key: string,
  captureId: string,
  nowMs: number,
): Promise<void> {
  try {
    await table.upsertEntity(
      {
        partitionKey: SIGHTINGS_PARTITION,
        rowKey: key,
        captureId,
        firstSeenAt: new Date(nowMs).toISOString(),
      },
      'Replace',
    );
  } catch (error) {
    throw toStorageError(error, 'record an orphan sighting in', table.tableName);
  }
}

async function deleteSighting(table: TableClient, key: string): Promise<void> {
  await table.deleteEntity(SIGHTINGS_PARTITION, key).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode !== 404) {
      throw toStorageError(error, 'forget an orphan sighting in', table.tableName);
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
