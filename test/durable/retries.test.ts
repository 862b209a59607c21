import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import {
  createTestHost,
  DurableEngineError,
  EventType,
  installFunctionsCore,
  type HistoryEvent,
  type TestHost,
} from '../../local/durable';

installFunctionsCore();

interface RetryInput {
  first: number;
  attempts: number;
  coefficient?: number;
  maxInterval?: number;
  timeout?: number;
}

df.app.orchestration('RetryFlaky', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as RetryInput;
  const options = new df.RetryOptions(input.first, input.attempts);
  if (input.coefficient !== undefined) options.backoffCoefficient = input.coefficient;
  if (input.maxInterval !== undefined) options.maxRetryIntervalInMilliseconds = input.maxInterval;
  if (input.timeout !== undefined) options.retryTimeoutInMilliseconds = input.timeout;
  const startedAt = context.df.currentUtcDateTime.getTime();
  try {
    const result = (yield context.df.callActivityWithRetry('Flaky', options, 'probe')) as string;
    return { result, elapsedMs: context.df.currentUtcDateTime.getTime() - startedAt };
  } catch (error) {
    return {
      error: (error as Error).message.split('\n')[0],
      elapsedMs: context.df.currentUtcDateTime.getTime() - startedAt,
    };
  }
});

/** An activity that fails `failures` times, then answers; it records the time of each attempt. */
function flaky(failures: number, now: () => Date) {
  const attempts: number[] = [];
  const handler = (input: unknown) => {
    attempts.push(now().getTime());
    if (attempts.length <= failures) throw new Error(`attempt ${attempts.length} failed`);
    return `ok after ${attempts.length} attempts with ${String(input)}`;
  };
  return { attempts, handler };
}

const timersOf = (history: HistoryEvent[]) =>
  history.flatMap((event) =>
    event.EventType === EventType.TimerCreated
      ? [{ id: event.EventId, fireAt: Date.parse(event.FireAt) }]
      : [],
  );

describe('callActivityWithRetry', () => {
  it('retries with exponential backoff capped at the max interval, on the virtual clock', async () => {
    const ref: { host?: TestHost } = {};
    const activity = flaky(2, () => ref.host!.now());
    const host = (ref.host = await createTestHost({ activities: { Flaky: activity.handler } }));
    const start = host.now().getTime();
    const id = await host.start('RetryFlaky', {
      first: 1000,
      attempts: 5,
      coefficient: 2,
      maxInterval: 1500,
    });
    const status = await host.runToCompletion(id);

    expect(status.output).toEqual({ result: 'ok after 3 attempts with probe', elapsedMs: 2500 });
    expect(activity.attempts.map((t) => t - start)).toEqual([0, 1000, 2500]);
    const scheduled = host.history(id).filter((event) => event.EventType === EventType.TaskScheduled);
    expect(scheduled.map((event) => event.EventId)).toEqual([0, 2, 4]);
    expect(timersOf(host.history(id))).toEqual([
      { id: 1, fireAt: start + 1000 },
      { id: 3, fireAt: start + 2500 },
    ]);
    expect(host.stats(id)).toMatchObject({
      activityCalls: 3,
      activityFailures: 2,
      timersCreated: 2,
      timersFired: 2,
    });
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('creates a retry timer after the last failed attempt too, before the failure reaches the orchestrator', async () => {
    const ref: { host?: TestHost } = {};
    const activity = flaky(Number.POSITIVE_INFINITY, () => ref.host!.now());
    const host = (ref.host = await createTestHost({ activities: { Flaky: activity.handler } }));
    const start = host.now().getTime();
    const id = await host.start('RetryFlaky', { first: 1000, attempts: 3, coefficient: 3 });
    const status = await host.runToCompletion(id);

    // Delays 1 s, 3 s, then 9 s after the third (last) failure.
    expect(activity.attempts.map((t) => t - start)).toEqual([0, 1000, 4000]);
    expect(timersOf(host.history(id)).map((timer) => timer.fireAt - start)).toEqual([1000, 4000, 13000]);
    expect(status.output).toEqual({
      error: "Activity function 'Flaky' failed: Result: Failure",
      elapsedMs: 13000,
    });
    const types = host.history(id).map((event) => event.EventType);
    const lastFailure = types.lastIndexOf(EventType.TaskFailed);
    expect(types.slice(lastFailure)).toEqual([
      EventType.TaskFailed,
      EventType.TimerCreated,
      EventType.OrchestratorCompleted,
      EventType.OrchestratorStarted,
      EventType.TimerFired,
      EventType.ExecutionCompleted,
      EventType.OrchestratorCompleted,
    ]);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('reproduces the extension hang when the retry timeout expires (no timer, the orchestrator waits forever)', async () => {
    const ref: { host?: TestHost } = {};
    const activity = flaky(Number.POSITIVE_INFINITY, () => ref.host!.now());
    const host = (ref.host = await createTestHost({ activities: { Flaky: activity.handler } }));
    const id = await host.start('RetryFlaky', { first: 1000, attempts: 10, coefficient: 2, timeout: 1500 });

    const run = host.runToCompletion(id);
    await expect(run).rejects.toBeInstanceOf(DurableEngineError);
    await expect(run).rejects.toMatchObject({ code: 'DURABLE_INSTANCE_STUCK' });
    expect(activity.attempts).toHaveLength(3);
    expect(host.getStatus(id)?.runtimeStatus).toBe('Running');
  });
});
