import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, EventType, installFunctionsCore } from '../../local/durable';

installFunctionsCore();

df.app.orchestration('FanOut', function* (context: OrchestrationContext) {
  const vms = context.df.getInput() as string[];
  const results = (yield context.df.Task.all(
    vms.map((vm) => context.df.callActivity('Inspect', vm)),
  )) as unknown[];
  return results;
});

df.app.orchestration('FirstAnswer', function* (context: OrchestrationContext) {
  const fast = context.df.callActivity('Inspect', 'fast');
  const slow = context.df.callActivity('Inspect', 'slow');
  const winner = yield context.df.Task.any([slow, fast]);
  return winner === fast ? 'fast' : 'slow';
});

df.app.orchestration('AllWithFailure', function* (context: OrchestrationContext) {
  try {
    yield context.df.Task.all([
      context.df.callActivity('Inspect', 'ok'),
      context.df.callActivity('Inspect', 'bad'),
    ]);
    return 'all ok';
  } catch (error) {
    return `caught: ${(error as Error).message.split('\n')[1]}`;
  }
});

/** A controllable activity: each call waits until the test releases it. */
function gatedActivity() {
  const calls: Array<{ input: string; release: () => void }> = [];
  let running = 0;
  let maxRunning = 0;
  const handler = async (input: unknown) => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((release) => calls.push({ input: String(input), release }));
    running -= 1;
    if (input === 'bad') throw new Error('inspection failed');
    return `inspected ${String(input)}`;
  };
  return { calls, handler, maxRunning: () => maxRunning };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Task.all and Task.any', () => {
  it('runs activities scheduled together concurrently, numbered in array order', async () => {
    const gate = gatedActivity();
    const host = await createTestHost({ activities: { Inspect: gate.handler } });
    const id = await host.start('FanOut', ['vm-a', 'vm-b', 'vm-c']);
    await settle();
    expect(gate.calls.map((call) => call.input)).toEqual(['vm-a', 'vm-b', 'vm-c']);
    for (const call of [...gate.calls].reverse()) call.release();
    const status = await host.runToCompletion(id);

    expect(status.output).toEqual(['inspected vm-a', 'inspected vm-b', 'inspected vm-c']);
    expect(gate.maxRunning()).toBe(3);
    const scheduled = host.history(id).filter((event) => event.EventType === EventType.TaskScheduled);
    // DTFx records the parameter array; the SDK sends string inputs as JSON text, so they appear twice encoded.
    expect(scheduled.map((event) => [event.EventId, (event as { Input: string }).Input])).toEqual([
      [0, JSON.stringify([JSON.stringify('vm-a')])],
      [1, JSON.stringify([JSON.stringify('vm-b')])],
      [2, JSON.stringify([JSON.stringify('vm-c')])],
    ]);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('holds to the activity concurrency limit', async () => {
    const gate = gatedActivity();
    const host = await createTestHost({ activities: { Inspect: gate.handler }, maxConcurrentActivities: 2 });
    const id = await host.start('FanOut', ['vm-a', 'vm-b', 'vm-c', 'vm-d']);
    await settle();
    expect(gate.calls).toHaveLength(2);
    const released = new Set<number>();
    while (released.size < 4) {
      gate.calls.forEach((call, index) => {
        if (!released.has(index)) call.release();
        released.add(index);
      });
      await settle();
    }
    const status = await host.runToCompletion(id);
    expect(status.output).toEqual(['inspected vm-a', 'inspected vm-b', 'inspected vm-c', 'inspected vm-d']);
    expect(gate.maxRunning()).toBe(2);
  });

  it('resumes with the first task to finish; the loser keeps the instance running until it reports', async () => {
    const gate = gatedActivity();
    const host = await createTestHost({ activities: { Inspect: gate.handler } });
    const id = await host.start('FirstAnswer');
    await settle();
    gate.calls.find((call) => call.input === 'fast')!.release();
    while (host.episodes(id).length < 2) await settle();
    expect(host.episodes(id)[1]).toMatchObject({ outcome: 'waiting' });
    // The orchestrator has returned, but DTFx does not complete an instance with an open task.
    expect(host.getStatus(id)?.runtimeStatus).toBe('Running');
    gate.calls.find((call) => call.input === 'slow')!.release();
    const status = await host.runToCompletion(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'fast' });
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('fails Task.all on the first failure, which the orchestrator can catch', async () => {
    const gate = gatedActivity();
    const host = await createTestHost({ activities: { Inspect: gate.handler } });
    const id = await host.start('AllWithFailure');
    await settle();
    for (const call of gate.calls) call.release();
    const status = await host.runToCompletion(id);
    expect(status.output).toBe('caught: Exception: inspection failed');
  });
});
