import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { InMemoryInstanceStore, installFunctionsCore, TestHost } from '../../local/durable';

const registry = installFunctionsCore();
const MINUTE = 60_000;

df.app.orchestration('SurvivesRestart', function* (context: OrchestrationContext) {
  const before = (yield context.df.callActivity('Probe', 'before')) as string;
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 20 * MINUTE));
  const after = (yield context.df.callActivity('Probe', 'after')) as string;
  return [before, after];
});

const never = () => new Promise<never>(() => undefined);

describe('resuming from the instance store', () => {
  it('picks up a pending timer after a restart and finishes the orchestration from the stored history', async () => {
    const store = new InMemoryInstanceStore();
    const startTime = new Date('2025-06-01T12:00:00.000Z');
    const first = new TestHost(registry, {
      store,
      startTime,
      activities: { Probe: (phase) => `${String(phase)}@1` },
    });
    const id = await first.start('SurvivesRestart');
    await first.runUntilIdle();
    expect(first.nextTimerAt()).toEqual(new Date(startTime.getTime() + 20 * MINUTE));
    first.close();

    const second = new TestHost(registry, {
      store,
      startTime,
      activities: { Probe: (phase) => `${String(phase)}@2` },
    });
    expect(await second.resume()).toBe(1);
    const status = await second.runToCompletion(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['before@1', 'after@2'] });
    expect(second.stats(id)).toMatchObject({ activityCalls: 2, timersFired: 1 });
    expect((await second.replayEveryPrefix(id)).prefixes).toBe(second.episodes(id).length);
    expect((await store.get(id))?.runtimeStatus).toBe('Completed');
  });

  it('runs again an activity that had not reported when the host stopped', async () => {
    const store = new InMemoryInstanceStore();
    const first = new TestHost(registry, { store, activities: { Probe: never } });
    const id = await first.start('SurvivesRestart');
    while ((await store.get(id))?.pendingActivities.length !== 1) await new Promise((r) => setTimeout(r, 5));
    first.close();

    const calls: unknown[] = [];
    const second = new TestHost(registry, {
      store,
      activities: { Probe: (phase) => calls.push(phase) && `${String(phase)}!` },
    });
    await second.resume();
    const status = await second.runToCompletion(id);
    expect(status.output).toEqual(['before!', 'after!']);
    expect(calls).toEqual(['before', 'after']);
  });
});
