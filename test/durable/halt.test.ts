import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { InMemoryInstanceStore, installFunctionsCore, TestHost } from '../../local/durable';

const registry = installFunctionsCore();

df.app.orchestration('HaltedMidway', function* (context: OrchestrationContext) {
  const first = (yield context.df.callActivity('Step', 'first')) as string;
  const [left, right] = (yield context.df.Task.all([
    context.df.callActivity('Step', 'left'),
    context.df.callActivity('Step', 'right'),
  ])) as string[];
  const last = (yield context.df.callActivity('Step', 'last')) as string;
  return [first, left, right, last];
});

/** An activity that records every call; the `gated` calls end only when the test opens them. */
function gatedSteps(gated: readonly string[]) {
  const calls: string[] = [];
  const gates = new Map<string, () => void>();
  const step = (input: unknown) =>
    new Promise<string>((resolve) => {
      calls.push(String(input));
      const done = () => resolve(`${String(input)} done`);
      if (gated.includes(String(input))) gates.set(String(input), done);
      else done();
    });
  const open = async (name: string) => {
    while (!gates.has(name)) await new Promise((r) => setTimeout(r, 2));
    gates.get(name)!();
  };
  return { calls, step, open };
}

describe('halting an engine (the dev host killed mid-run)', () => {
  it('drops what running activities return, starts no queued activity and runs no further episode', async () => {
    const store = new InMemoryInstanceStore();
    const dying = gatedSteps(['first', 'left']);
    const first = new TestHost(registry, {
      store,
      activities: { Step: dying.step },
      maxConcurrentActivities: 1,
    });
    const id = await first.start('HaltedMidway');
    await dying.open('first');
    // `left` runs, `right` waits for the only activity slot.
    while (dying.calls.length < 2) await new Promise((r) => setTimeout(r, 2));
    while ((await store.get(id))?.pendingActivities.length !== 2) await new Promise((r) => setTimeout(r, 2));

    first.halt();
    await dying.open('left');
    await first.runUntilIdle();
    expect(dying.calls).toEqual(['first', 'left']);
    expect(first.record(id).pendingActivities.map((a) => a.name)).toEqual(['Step', 'Step']);
    expect(first.record(id).runtimeStatus).toBe('Running');

    // The next engine on the same store runs both fan-out activities again and finishes the run.
    const next = new TestHost(registry, { store, activities: { Step: (input) => `${String(input)} again` } });
    expect(await next.resume()).toBe(1);
    expect((await next.runToCompletion(id)).output).toEqual([
      'first done',
      'left again',
      'right again',
      'last again',
    ]);
  });
});
