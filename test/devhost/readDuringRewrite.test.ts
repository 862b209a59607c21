import { describe, expect, inject, it } from 'vitest';
import { TableInstanceStore } from '../../local/devhost';
import type { InstanceRecord } from '../../local/durable';
import { orchestratorCompleted, orchestratorStarted } from '../../local/durable/historyBuilder';
import { newRecord } from '../../local/durable/instanceRecords';
import { uniqueHub } from './support';

const T0 = new Date('2026-03-01T10:00:00.000Z');

/** An execution of `events` played history events (a restart or continueAsNew gives a new one). */
function execution(instanceId: string, events: number): InstanceRecord {
  const record = newRecord('probe', instanceId, '{}', T0);
  record.history.push({ ...record.inbox.shift()!, IsPlayed: true });
  for (let i = 1; i < events; i++) {
    record.history.push({ ...(i % 2 ? orchestratorStarted(T0) : orchestratorCompleted(T0)), IsPlayed: true });
  }
  record.runtimeStatus = 'Running';
  return record;
}

describe('TableInstanceStore read while a new execution is written', () => {
  // A status request reads the instance row, then its history rows; a continueAsNew or a restart
  // of the id meanwhile rewrites those rows for the new execution before its instance row.
  it('answers with the execution the store holds once the write is done, never a corrupt instance', async () => {
    const store = new TableInstanceStore({
      connectionString: inject('offlineStack').azurite.connectionString,
      taskHub: uniqueHub(),
    });
    await store.init();
    await store.put(execution('rewritten', 6));
    const next = execution('rewritten', 4);

    // The new execution's write lands between the read of the instance row and of its history.
    const history = (store as unknown as { history: { listEntities: (...a: unknown[]) => unknown } }).history;
    const list = history.listEntities.bind(history);
    let interleaved = false;
    history.listEntities = (...args: unknown[]) => {
      if (interleaved) return list(...args);
      interleaved = true;
      const rows = (async function* () {
        await store.put(next);
        yield* list(...args) as AsyncIterable<unknown>;
      })();
      return rows;
    };

    const read = await store.get('rewritten');
    expect(interleaved).toBe(true);
    expect(read?.executionId).toBe(next.executionId);
    expect(read?.history).toEqual(next.history);
  });
});
