import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, EventType, formatHistoryStats, installFunctionsCore } from '../../local/durable';

installFunctionsCore();

df.app.activity('Greet', { handler: (name: unknown) => `Hello ${String(name)}` });
df.app.activity('Shout', {
  handler: (text: unknown) => ({ text: String(text).toUpperCase(), length: String(text).length }),
});
df.app.orchestration('GreetChain', function* (context: OrchestrationContext) {
  const city = (context.df.getInput() as { city: string }).city;
  const greeting = (yield context.df.callActivity('Greet', city)) as string;
  const shouted = (yield context.df.callActivity('Shout', greeting)) as { text: string };
  return { greeting, shouted };
});

df.app.activity('ReturnsNothing', { handler: () => undefined });
df.app.orchestration('GetsNothing', function* (context: OrchestrationContext) {
  const value: unknown = yield context.df.callActivity('ReturnsNothing');
  return { value, isNull: value === null };
});

df.app.activity('Explode', {
  handler: () => {
    throw new RangeError('the capture is gone');
  },
});
df.app.orchestration('CatchFailure', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivity('Explode', { captureName: 'c1' });
    return 'unreachable';
  } catch (error) {
    const e = error as Error;
    return { name: e.name, message: e.message, isTaskFailed: e instanceof df.TaskFailedError };
  }
});
df.app.orchestration('UncaughtFailure', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ phase: 'exploding' });
  yield context.df.callActivity('Explode');
});

describe('activities', () => {
  it('runs a chain of real registered activities and records the history the extension writes', async () => {
    const host = await createTestHost();
    const id = await host.start('GreetChain', { city: 'Tokyo' }, { instanceId: 'chain-1' });
    const status = await host.runToCompletion(id);

    expect(status).toMatchObject({
      name: 'GreetChain',
      instanceId: 'chain-1',
      runtimeStatus: 'Completed',
      input: { city: 'Tokyo' },
      output: { greeting: 'Hello Tokyo', shouted: { text: 'HELLO TOKYO' } },
    });
    const types = host.history(id).map((event) => event.EventType);
    expect(types).toEqual([
      EventType.OrchestratorStarted,
      EventType.ExecutionStarted,
      EventType.TaskScheduled,
      EventType.OrchestratorCompleted,
      EventType.OrchestratorStarted,
      EventType.TaskCompleted,
      EventType.TaskScheduled,
      EventType.OrchestratorCompleted,
      EventType.OrchestratorStarted,
      EventType.TaskCompleted,
      EventType.ExecutionCompleted,
      EventType.OrchestratorCompleted,
    ]);
    const scheduled = host.history(id).filter((event) => event.EventType === EventType.TaskScheduled);
    expect(scheduled.map((event) => [event.EventId, 'Name' in event && event.Name])).toEqual([
      [0, 'Greet'],
      [1, 'Shout'],
    ]);
    expect(host.stats(id)).toMatchObject({ historyEvents: 12, activityCalls: 2, replays: 3, executions: 1 });
    expect(host.stats(id).replayedEvents).toBe(2 + 6 + 10);
    expect(formatHistoryStats(host.stats(id))).toMatch(/^historyEvents {8}12\nt/);
  });

  it('hands the orchestrator the failure the extension reports, which it can catch', async () => {
    const host = await createTestHost();
    const id = await host.start('CatchFailure');
    const status = await host.runToCompletion(id);

    const output = status.output as { name: string; message: string; isTaskFailed: boolean };
    expect(status.runtimeStatus).toBe('Completed');
    expect(output.isTaskFailed).toBe(false);
    expect(output.message).toMatch(
      /^Activity function 'Explode' failed: Result: Failure\nException: the capture is gone\nStack: RangeError: the capture is gone/,
    );
    const failed = host.history(id).find((event) => event.EventType === EventType.TaskFailed);
    expect(failed).toMatchObject({ TaskScheduledId: 0, EventId: -1 });
    expect(JSON.parse((failed as { Details: string }).Details)).toMatchObject({
      RemoteMessage: 'the capture is gone',
    });
    expect(host.stats(id)).toMatchObject({ activityFailures: 1 });
  });

  it('fails the instance with the orchestrator error when it does not catch', async () => {
    const host = await createTestHost();
    const id = await host.start('UncaughtFailure');
    const status = await host.runToCompletion(id);

    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Orchestrator function 'UncaughtFailure' failed: Activity function 'Explode' failed: /,
    );
    expect(status.customStatus).toEqual({ phase: 'exploding' });
    expect(host.failure(id)).toMatchObject({ errorType: 'OrchestrationFailure' });
    const last = host
      .history(id)
      .slice(-2)
      .map((event) => event.EventType);
    expect(last).toEqual([EventType.ExecutionCompleted, EventType.OrchestratorCompleted]);
  });

  it('records an activity that returns nothing as null', async () => {
    const host = await createTestHost();
    const id = await host.start('GetsNothing');
    expect((await host.runToCompletion(id)).output).toEqual({ value: null, isNull: true });
    expect(host.history(id).find((event) => event.EventType === EventType.TaskCompleted)).toMatchObject({
      Result: 'null',
    });
  });

  it('runs a per-test replacement instead of the registered activity', async () => {
    const host = await createTestHost({ activities: { Greet: (name) => `Bonjour ${String(name)}` } });
    const status = await host.runToCompletion(await host.start('GreetChain', { city: 'Lyon' }));
    expect(status.output).toMatchObject({ greeting: 'Bonjour Lyon', shouted: { text: 'BONJOUR LYON' } });
  });
});
