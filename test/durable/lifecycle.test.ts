import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import {
  createTestHost,
  EventType,
  InMemoryInstanceStore,
  installFunctionsCore,
  type EpisodeNotice,
  type TestHost,
} from '../../local/durable';

installFunctionsCore();

const MINUTE = 60_000;

interface RoundState {
  round: number;
  notes: string[];
}

df.app.orchestration('NoteTaker', function* (context: OrchestrationContext) {
  const state = context.df.getInput() as RoundState;
  context.df.setCustomStatus({ phase: 'listening', round: state.round });
  const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * MINUTE));
  const note = context.df.waitForExternalEvent('Note');
  const winner = yield context.df.Task.any([note, timeout]);
  if (winner === note) timeout.cancel();
  const notes = winner === note ? [...state.notes, note.result as string] : state.notes;
  if (state.round >= 3) {
    context.df.setCustomStatus({ phase: 'done', round: state.round });
    return { rounds: state.round, notes };
  }
  context.df.continueAsNew({ round: state.round + 1, notes });
  return undefined;
});

df.app.orchestration('HugeStatus', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ phase: 'small' });
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + MINUTE));
  context.df.setCustomStatus({ phase: 'huge', blob: 'x'.repeat(9000) });
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + MINUTE));
  return 'unreachable';
});

df.app.orchestration('WaitForever', function* (context: OrchestrationContext) {
  context.df.setCustomStatus('waiting');
  yield context.df.Task.any([
    context.df.waitForExternalEvent('Never'),
    context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60 * MINUTE)),
  ]);
  return 'woke';
});

describe('continueAsNew', () => {
  it('starts a new execution with a fresh history and the new input; later events carry over, processed-but-unused ones do not', async () => {
    const notices: EpisodeNotice[] = [];
    const ref: { host?: TestHost } = {};
    const host = (ref.host = await createTestHost({
      onEpisode: (notice) => {
        notices.push(notice);
        // Raised while round 1 hands over to round 2: the new execution must receive it.
        if (
          notice.episode.outcome === 'continuedAsNew' &&
          notices.filter((n) => n.episode.outcome === 'continuedAsNew').length === 1
        ) {
          void ref.host!.raiseEvent(notice.instanceId, 'Note', 'sent during the handover');
        }
      },
    }));
    const id = await host.start('NoteTaker', { round: 1, notes: [] });
    await host.runUntilIdle();
    const firstExecution = host.record(id).executionId;
    // Both reach round 1 in one batch: it uses the first; the second is in its history and is dropped.
    await host.raiseEvent(id, 'Note', 'first-a');
    await host.raiseEvent(id, 'Note', 'first-b');
    const start = host.now().getTime();
    const status = await host.runToCompletion(id);

    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      input: { round: 3, notes: ['first-a', 'sent during the handover'] },
      output: { rounds: 3, notes: ['first-a', 'sent during the handover'] },
      customStatus: { phase: 'done', round: 3 },
    });
    // Round 3 heard nothing and ended on its 10-minute timeout.
    expect(host.now().getTime() - start).toBe(10 * MINUTE);
    const record = host.record(id);
    expect(record.executionId).not.toBe(firstExecution);
    expect(record.history[1]).toMatchObject({
      EventType: EventType.ExecutionStarted,
      Input: JSON.stringify(status.input),
    });
    expect(record.history.filter((event) => event.EventType === EventType.EventRaised)).toHaveLength(0);
    expect(host.stats(id)).toMatchObject({ executions: 3, eventsRaised: 3 });
    expect(notices.map((notice) => [notice.episode.outcome, notice.customStatus])).toEqual([
      ['waiting', { phase: 'listening', round: 1 }],
      ['continuedAsNew', { phase: 'listening', round: 1 }],
      ['continuedAsNew', { phase: 'listening', round: 2 }],
      ['waiting', { phase: 'listening', round: 3 }],
      ['completed', { phase: 'done', round: 3 }],
    ]);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });
});

describe('custom status, terminate and instance errors', () => {
  it('terminates a waiting instance: its timer never fires and it takes no more events', async () => {
    const host = await createTestHost();
    const id = await host.start('WaitForever', undefined, { instanceId: 'capture-vm1' });
    await host.runUntilIdle();
    expect(host.getStatus(id)).toMatchObject({
      runtimeStatus: 'Running',
      customStatus: 'waiting',
      input: null,
    });
    await host.terminate(id, 'operator stop');
    await host.runUntilIdle();

    expect(host.getStatus(id)).toMatchObject({
      runtimeStatus: 'Terminated',
      output: 'operator stop',
      customStatus: 'waiting',
    });
    expect(
      host
        .history(id)
        .slice(-4)
        .map((event) => event.EventType),
    ).toEqual([
      EventType.OrchestratorStarted,
      EventType.ExecutionTerminated,
      EventType.ExecutionCompleted,
      EventType.OrchestratorCompleted,
    ]);
    expect(host.nextTimerAt()).toBeUndefined();
    await expect(host.raiseEvent(id, 'Never')).rejects.toMatchObject({ code: 'DURABLE_INSTANCE_COMPLETED' });
    await expect(host.terminate(id)).rejects.toMatchObject({ code: 'DURABLE_INSTANCE_COMPLETED' });
  });

  it('refuses unknown orchestrators, bad or running ids and unknown instances, and restarts finished ones', async () => {
    const host = await createTestHost();
    await expect(host.start('NoSuchOrchestrator')).rejects.toMatchObject({
      code: 'DURABLE_FUNCTION_NOT_FOUND',
    });
    await expect(host.start('WaitForever', null, { instanceId: 'a/b' })).rejects.toMatchObject({
      code: 'DURABLE_INSTANCE_ID_INVALID',
    });
    await expect(host.start('WaitForever', null, { instanceId: '@entity' })).rejects.toMatchObject({
      code: 'DURABLE_INSTANCE_ID_INVALID',
    });
    const id = await host.start('WaitForever', null, { instanceId: 'vm-7' });
    await expect(host.start('WaitForever', null, { instanceId: 'vm-7' })).rejects.toMatchObject({
      code: 'DURABLE_INSTANCE_EXISTS',
      details: { runtimeStatus: 'Pending' },
    });
    await expect(host.raiseEvent('nobody', 'Never')).rejects.toMatchObject({
      code: 'DURABLE_INSTANCE_NOT_FOUND',
    });
    expect(host.getStatus('nobody')).toBeUndefined();

    await host.runToCompletion(id);
    expect(host.getStatus(id)?.output).toBe('woke');
    await host.start('WaitForever', { again: true }, { instanceId: 'vm-7' });
    expect(host.getStatus(id)).toMatchObject({
      runtimeStatus: 'Pending',
      input: { again: true },
      output: null,
    });
  });

  it('fails an orchestration whose custom status exceeds the 16 KB the extension accepts', async () => {
    const host = await createTestHost();
    const status = await host.runToCompletion(await host.start('HugeStatus'));
    expect(status).toMatchObject({ runtimeStatus: 'Failed', customStatus: { phase: 'small' } });
    expect(status.output).toBe(
      'The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.',
    );
  });

  it('purges an instance from the engine and its store', async () => {
    const store = new InMemoryInstanceStore();
    const host = await createTestHost({ store });
    const id = await host.start('WaitForever');
    await host.runUntilIdle();
    expect(await store.get(id)).toMatchObject({ runtimeStatus: 'Running' });
    expect(await host.purge(id)).toBe(true);
    expect(host.getStatus(id)).toBeUndefined();
    expect(host.nextTimerAt()).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });
});
