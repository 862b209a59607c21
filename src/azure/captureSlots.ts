import { createHash } from 'node:crypto';
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { AppError } from '../errors/AppError';
import { toStorageError } from './storageErrors';

/**
 * The session slots of each Network Watcher, as leases in a table of the app's own storage. Slot
 * `i` of a watcher is the row `slot-i` of the watcher's partition; a run holds a slot while its
 * row names its capture and has not expired. A free slot is taken by inserting its row (the
 * table refuses a second insert: 409) or by replacing an expired row under its ETag (a second
 * writer gets 412), so two runs can never hold one slot, and no more than `limit` rows exist
 * below index `limit`: at most CAPTURE_SESSION_LIMIT captures of this app per watcher, whatever
 * runs at once, on any engine and across host restarts. The expiry frees the slot of a run that
 * vanished (terminated, purged) without releasing it.
 */

export interface SlotLease {
  watcherId: string;
  slot: number;
  captureName: string;
  instanceId: string;
  leasedAt: string;
  expiresAt: string;
  /** PUTs sent to create the capture whose answer never came (see `noteLostPut`). */
  lostPuts: number;
  /** Set when the run released the slot but holds it on until `expiresAt` (a PUT may still land). */
  releasedAt?: string;
}

export type LeaseOutcome =
  | { granted: true; slot: number; renewed: boolean; held: number }
  | { granted: false; held: number; holders: string[] };

/** Rows in a watcher's partition; the registry of watchers and the sweep's sightings have their own. */
const SLOT_PREFIX = 'slot-';
const WATCHERS_PARTITION = 'watchers';
/** Reads and conditional writes one lease call makes at most before giving up for a retry. */
const MAX_ROUNDS = 12;
/** Holders named in a refusal, at most (enough for a report). */
const HOLDERS_LISTED = 20;

type Row = TableEntityResult<Record<string, unknown>> & {
  partitionKey: string;
  rowKey: string;
  etag: string;
};

export function watcherPartition(watcherId: string): string {
  return `w${createHash('sha256').update(watcherId.toLowerCase()).digest('hex').slice(0, 40)}`;
}

const slotKey = (slot: number) => `${SLOT_PREFIX}${String(slot).padStart(5, '0')}`;
const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

export interface LeaseRequest {
  watcherId: string;
  captureName: string;
  instanceId: string;
  /** CAPTURE_SESSION_LIMIT. */
  limit: number;
  /** The caller's clock (the orchestration's): every lease of the app compares on it. */
  nowMs: number;
  expiresAtMs: number;
}

/**
 * A slot for the capture: the one it already holds (its expiry pushed out), else a free one.
 * Refused when every slot below `limit` is held.
 */
export async function leaseSlot(table: TableClient, request: LeaseRequest): Promise<LeaseOutcome> {
  const { watcherId, captureName, limit, nowMs } = request;
  await prepare(table, watcherId);
  const partition = watcherPartition(watcherId);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const rows = await slotRows(table, partition);
    const mine = rows.filter((row) => same(row.captureName, captureName));
    const live = rows.filter((row) => Date.parse(String(row.expiresAt)) > nowMs);
    if (mine.length > 0) {
      if (!(await renew(table, mine, request))) continue;
      return { granted: true, slot: slotOf(mine[0]!), renewed: true, held: live.length };
    }
    if (live.length >= limit) {
      return {
        granted: false,
        held: live.length,
        holders: live.slice(0, HOLDERS_LISTED).map((row) => String(row.captureName)),
      };
    }
    const bySlot = new Map(rows.map((row) => [slotOf(row), row]));
    let raced = false;
    for (let slot = 0; slot < limit && !raced; slot += 1) {
      const row = bySlot.get(slot);
      if (row && Date.parse(String(row.expiresAt)) > nowMs) continue;
      const entity = leaseEntity(partition, slot, request);
      const taken = row
        ? await conditional(() => table.updateEntity(entity, 'Replace', { etag: row.etag }), 'take a slot')
        : await conditional(() => table.createEntity(entity), 'take a slot');
      if (taken) return { granted: true, slot, renewed: false, held: live.length + 1 };
      raced = true;
    }
    // Every slot below the limit is held by an unexpired row the count missed (a lowered limit
    // leaves rows above it): no slot now.
    if (!raced) return { granted: false, held: live.length, holders: [] };
  }
  throw contended(watcherId);
}

export interface ReleaseRequest {
  watcherId: string;
  captureName: string;
  nowMs: number;
  /** Keep the slot held until this time (a create may still land), instead of freeing it now. */
  holdUntil?: (lease: SlotLease) => number | undefined;
}

/** Frees the capture's slot (or holds it on, see `holdUntil`); the leases it held, as they were. */
export async function releaseSlot(table: TableClient, request: ReleaseRequest): Promise<SlotLease[]> {
  const partition = watcherPartition(request.watcherId);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const mine = (await slotRows(table, partition)).filter((row) =>
      same(row.captureName, request.captureName),
    );
    let raced = false;
    for (const row of mine) {
      const holdUntilMs = request.holdUntil?.(leaseOf(row));
      const done =
        holdUntilMs !== undefined && holdUntilMs > request.nowMs
          ? await conditional(
              () =>
                table.updateEntity(
                  {
                    partitionKey: row.partitionKey,
                    rowKey: row.rowKey,
                    expiresAt: new Date(holdUntilMs).toISOString(),
                    releasedAt: new Date(request.nowMs).toISOString(),
                  },
                  'Merge',
                  { etag: row.etag },
                ),
              'release a slot',
            )
          : await conditional(
              () => table.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag }),
              'release a slot',
              true,
            );
      if (!done) raced = true;
    }
    if (!raced) return mine.map(leaseOf);
  }
  throw contended(request.watcherId);
}

/**
 * Counts a PUT of the capture whose answer was lost on its slot: it may still be carried out
 * later, so its release holds the slot on.
 */
export async function noteLostPut(table: TableClient, watcherId: string, captureName: string): Promise<void> {
  const rows = await slotRows(table, watcherPartition(watcherId));
  const row = rows.find((r) => same(r.captureName, captureName));
  if (!row) return;
  await conditional(
    () =>
      table.updateEntity(
        {
          partitionKey: row.partitionKey,
          rowKey: row.rowKey,
          lostPuts: Number(row.lostPuts ?? 0) + 1,
        },
        'Merge',
        { etag: row.etag },
      ),
    'count a lost create',
  );
}

/** Every lease of a watcher (held, expired or held on after release). */
export async function leasesOf(table: TableClient, watcherId: string): Promise<SlotLease[]> {
  return (await slotRows(table, watcherPartition(watcherId))).map(leaseOf);
}

/** The watchers the app has ever leased a slot on: the ones its captures can be found on. */
export async function leasedWatchers(table: TableClient): Promise<string[]> {
  const watchers: string[] = [];
  try {
    for await (const row of table.listEntities<{ watcherId: string }>({
      queryOptions: { filter: `PartitionKey eq '${WATCHERS_PARTITION}'` },
    })) {
      watchers.push(row.watcherId);
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return [];
    throw toStorageError(error, 'list the watchers in', table.tableName);
  }
  return watchers;
}

const preparedTables = new WeakSet<TableClient>();

async function prepare(table: TableClient, watcherId: string): Promise<void> {
  await guard(async () => {
    if (!preparedTables.has(table)) {
      await table.createTable();
      preparedTables.add(table);
    }
    await table.upsertEntity(
      { partitionKey: WATCHERS_PARTITION, rowKey: watcherPartition(watcherId), watcherId },
      'Replace',
    );
  }, 'register the watcher in');
}

async function slotRows(table: TableClient, partition: string): Promise<Row[]> {
  return guard(async () => {
    const rows: Row[] = [];
    try {
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `PartitionKey eq '${partition}'` },
      })) {
        if (row.rowKey?.startsWith(SLOT_PREFIX)) rows.push(row as Row);
      }
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return [];
      throw error;
    }
    return rows.sort((a, b) => a.rowKey.localeCompare(b.rowKey));
  }, 'read the slots in');
}

async function renew(table: TableClient, mine: Row[], request: LeaseRequest): Promise<boolean> {
  const [kept, ...extra] = mine;
  const expiresAtMs = Math.max(request.expiresAtMs, Date.parse(String(kept!.expiresAt)) || 0);
  const { releasedAt: _released, slot: _slot, ...lease } = leaseOf(kept!);
  const renewed = await conditional(
    () =>
      table.updateEntity(
        {
          partitionKey: kept!.partitionKey,
          rowKey: kept!.rowKey,
          ...lease,
          expiresAt: new Date(expiresAtMs).toISOString(),
        },
        'Replace',
        { etag: kept!.etag },
      ),
    'renew a slot',
  );
  // A duplicate attempt of the same call took a second slot: give it back.
  for (const row of extra) {
    await conditional(
      () => table.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag }),
      'release a slot',
      true,
    );
  }
  return renewed;
}

function leaseEntity(partition: string, slot: number, request: LeaseRequest) {
  return {
    partitionKey: partition,
    rowKey: slotKey(slot),
    watcherId: request.watcherId,
    captureName: request.captureName,
    instanceId: request.instanceId,
    leasedAt: new Date(request.nowMs).toISOString(),
    expiresAt: new Date(request.expiresAtMs).toISOString(),
    lostPuts: 0,
  };
}

function slotOf(row: { rowKey: string }): number {
  return Number(row.rowKey.slice(SLOT_PREFIX.length));
}

function leaseOf(row: Row): SlotLease {
  return {
    watcherId: String(row.watcherId),
    slot: slotOf(row),
    captureName: String(row.captureName),
    instanceId: String(row.instanceId),
    leasedAt: String(row.leasedAt),
    expiresAt: String(row.expiresAt),
    lostPuts: Number(row.lostPuts ?? 0),
    ...(typeof row.releasedAt === 'string' && { releasedAt: row.releasedAt }),
  };
}

/**
 * A conditional write: true when it took, false when another writer got there first (409 on an
 * insert, 412 on an ETag), so the caller reads again. `goneIsDone`: a 404 means the work is done.
 */
async function conditional(
  write: () => Promise<unknown>,
  operation: string,
  goneIsDone = false,
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 409 || status === 412) return false;
    if (status === 404 && goneIsDone) return true;
    throw toStorageError(error, operation, 'the capture slot table');
  }
}

async function guard<T>(call: () => Promise<T>, operation: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStorageError(error, operation, 'the capture slot table');
  }
}

function contended(watcherId: string): AppError {
  return new AppError(
    'STORAGE_UNAVAILABLE',
    `The capture slots of ${watcherId} changed under every one of ${MAX_ROUNDS} attempts to update them; the step will be retried.`,
    { details: { watcherId, reason: 'contended' } },
  );
}
