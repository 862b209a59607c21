import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { DevHostError, TableInstanceStore } from '../../local/devhost';
import type { InstanceRecord } from '../../local/durable';
import {
  executionStarted,
  orchestratorCompleted,
  orchestratorStarted,
  taskOutcome,
  taskScheduled,
} from '../../local/durable/historyBuilder';
import { newRecord } from '../../local/durable/instanceRecords';
import { uniqueHub } from './support';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const connectionString = () => inject('offlineStack').azurite.connectionString;

async function newStore(taskHub = uniqueHub()): Promise<TableInstanceStore> {
  const store = new TableInstanceStore({ connectionString: connectionString(), taskHub });
  await store.init();
  return store;
}

/** A record past its first episode: started, one activity scheduled, its result in the history. */
function recordWithHistory(instanceId: string, input: unknown, result: string): InstanceRecord {
  const record = newRecord('probe', instanceId, JSON.stringify(input), T0);
  record.history.push(
    { ...orchestratorStarted(T0), IsPlayed: true },
    { ...record.inbox.shift()!, IsPlayed: true },
    { ...taskScheduled(0, 'activity', '"x"', T0), IsPlayed: true },
    { ...orchestratorCompleted(T0), IsPlayed: true },
    { ...orchestratorStarted(T0), IsPlayed: true },
    { ...taskOutcome(0, { ok: true, resultJson: JSON.stringify(result) }, T0), IsPlayed: true },
  );
  record.runtimeStatus = 'Running';
  record.customStatus = JSON.stringify({ phase: 'working' });
  return record;
}

const historyRows = async (store: TableInstanceStore, instanceId: string) => {
  const table = TableClient.fromConnectionString(connectionString(), store.historyTable, {
    allowInsecureConnection: true,
  });
  const rows = [];
  for await (const row of table.listEntities({
    queryOptions: { filter: `PartitionKey eq '${instanceId}'` },
  })) {
    rows.push(row);
  }
  return { table, rows };
};

describe('TableInstanceStore (Azurite tables named after the task hub)', () => {
  it("gives back exactly what was put: long text, non-ASCII text past Azurite's 64 KiB body chunks", async () => {
    const store = await newStore();
    // Long enough to span several entity properties and several request body chunks.
    const input = { note: `${'a'.repeat(29_999 - '{"note":"'.length)}😀${'é😀'.repeat(40_000)}` };
    const record = recordWithHistory('round-trip', input, `result ${'😀'.repeat(20_000)}`);
    await store.put(record);
    expect(await store.get('round-trip')).toEqual(record);
    expect((await store.list()).find((r) => r.instanceId === 'round-trip')).toEqual(record);
    expect(store.instancesTable).toMatch(/DevInstances$/);
  });

  it('appends only new history rows and follows a new execution (continueAsNew)', async () => {
    const store = await newStore();
    const record = recordWithHistory('appends', 1, 'one');
    await store.put(record);
    record.history.push({ ...orchestratorCompleted(T0), IsPlayed: true });
    await store.put(record);
    expect((await historyRows(store, 'appends')).rows).toHaveLength(7);
    expect((await store.get('appends'))?.history).toHaveLength(7);

    const next = { ...record, executionId: 'second-execution', history: [] as InstanceRecord['history'] };
    next.history.push({ ...executionStarted({ ...next, input: '2' }, T0), IsPlayed: true });
    await store.put(next);
    expect(await store.get('appends')).toEqual(next);
    // A fresh store (a new host) reads the same.
    expect(await (await newStoreOn(store)).get('appends')).toEqual(next);
  });

  it('ignores history rows that a dying host wrote past what its instance row counts', async () => {
    const store = await newStore();
    const record = recordWithHistory('half-written', null, 'r');
    await store.put(record);
    const { table } = await historyRows(store, 'half-written');
    await table.upsertEntity({
      partitionKey: 'half-written',
      rowKey: (99).toString(16).toUpperCase().padStart(16, '0'),
      ExecutionId: record.executionId,
      Event: '{"EventType":12}',
      EventParts: 1,
    });
    expect(await (await newStoreOn(store)).get('half-written')).toEqual(record);
  });

  it('reports an instance whose history rows are missing as corrupt', async () => {
    const store = await newStore();
    await store.put(recordWithHistory('broken', null, 'r'));
    const { table, rows } = await historyRows(store, 'broken');
    await table.deleteEntity('broken', rows[2]!.rowKey!);
    const error = await (await newStoreOn(store)).get('broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevHostError);
    expect(error).toMatchObject({ code: 'DEVHOST_STATE_CORRUPT', details: { instanceId: 'broken' } });
  });

  it('refuses a value too large for a table entity with an actionable error', async () => {
    const store = await newStore();
    const record = recordWithHistory('too-large', 'x'.repeat(1_000_000), 'r');
    await expect(store.put(record)).rejects.toMatchObject({
      code: 'DEVHOST_STATE_TOO_LARGE',
      message: expect.stringContaining('blob reference'),
    });
  });

  it('deletes an instance with its history, and writes nothing once fenced', async () => {
    const store = await newStore();
    await store.put(recordWithHistory('gone', null, 'r'));
    expect(await store.delete('gone')).toBe(true);
    expect(await store.get('gone')).toBeUndefined();
    expect((await historyRows(store, 'gone')).rows).toHaveLength(0);
    expect(await store.delete('gone')).toBe(false);

    store.fence();
    await store.put(recordWithHistory('after-fence', null, 'r'));
    expect(await store.get('after-fence')).toBeUndefined();
  });
});

async function newStoreOn(store: TableInstanceStore): Promise<TableInstanceStore> {
  return newStore(store.instancesTable.replace(/DevInstances$/, ''));
}
