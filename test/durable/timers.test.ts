import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, EventType, installFunctionsCore } from '../../local/durable';

installFunctionsCore();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

df.app.activity('CheckCapture', { handler: (round: unknown) => ({ round, running: true }) });

df.app.orchestration('StopOrTimeout', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30 * MINUTE));
  const stop = context.df.waitForExternalEvent('StopCapture');
  const winner = yield context.df.Task.any([stop, deadline]);
  if (winner === stop) {
    deadline.cancel();
    return { stoppedBy: stop.result, at: context.df.currentUtcDateTime.toISOString() };
  }
  return { stoppedBy: 'deadline', at: context.df.currentUtcDateTime.toISOString() };
});

df.app.orchestration('ForgetsToCancel', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30 * MINUTE));
  const stop = context.df.waitForExternalEvent('StopCapture');
  yield context.df.Task.any([stop, deadline]);
  return 'returned';
});

df.app.orchestration('FollowFor12Hours', function* (context: OrchestrationContext) {
  const end = context.df.currentUtcDateTime.getTime() + 12 * HOUR;
  let round = 0;
  while (context.df.currentUtcDateTime.getTime() < end) {
    round += 1;
    yield context.df.callActivity('CheckCapture', round);
    context.df.setCustomStatus({ phase: 'following', round });
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 15 * MINUTE));
  }
  return { rounds: round, endedAt: context.df.currentUtcDateTime.toISOString() };
});

df.app.orchestration('TenDayTimer', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * DAY));
  return context.df.currentUtcDateTime.toISOString();
});

df.app.orchestration('CancelsLongTimer', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * DAY));
  const approval = context.df.waitForExternalEvent('Approve');
  const winner = yield context.df.Task.any([approval, deadline]);
  if (winner === approval) deadline.cancel();
  return winner === approval ? 'approved' : 'expired';
});

df.app.orchestration('TwoEvents', function* (context: OrchestrationContext) {
  const first = yield context.df.waitForExternalEvent('Approve');
  const second = yield context.df.waitForExternalEvent('Approve');
  return [first, second];
});

describe('durable timers and external events', () => {
  it('stops at once on the event and cancels the deadline timer, which never fires', async () => {
    const host = await createTestHost();
    const start = host.now();
    const id = await host.start('StopOrTimeout');
    await host.advanceBy(5 * MINUTE);
    expect(host.getStatus(id)?.runtimeStatus).toBe('Running');
    await host.raiseEvent(id, 'StopCapture', 'operator');
    await host.runUntilIdle();

    expect(host.getStatus(id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { stoppedBy: 'operator', at: new Date(start.getTime() + 5 * MINUTE).toISOString() },
    });
    expect(host.nextTimerAt()).toBeUndefined();
    expect(host.stats(id)).toMatchObject({ timersCreated: 1, timersFired: 0, eventsRaised: 1 });
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('ends on the deadline when no event comes', async () => {
    const host = await createTestHost();
    const start = host.now();
    const id = await host.start('StopOrTimeout');
    const status = await host.runToCompletion(id);
    expect(status.output).toEqual({
      stoppedBy: 'deadline',
      at: new Date(start.getTime() + 30 * MINUTE).toISOString(),
    });
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('keeps an instance Running until a timer it did not cancel fires, as DTFx does', async () => {
    const host = await createTestHost();
    const start = host.now();
    const id = await host.start('ForgetsToCancel');
    await host.runUntilIdle();
    await host.raiseEvent(id, 'StopCapture');
    await host.runUntilIdle();
    expect(host.getStatus(id)?.runtimeStatus).toBe('Running');

    const status = await host.runToCompletion(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'returned' });
    expect(host.now().getTime() - start.getTime()).toBe(30 * MINUTE);
  });

  it('follows a capture for 12 hours of durable timers in milliseconds of real time', async () => {
    const host = await createTestHost();
    const start = host.now();
    const realStart = performance.now();
    const id = await host.start('FollowFor12Hours');
    const status = await host.runToCompletion(id);
    const realMs = performance.now() - realStart;

    expect(status.output).toEqual({
      rounds: 48,
      endedAt: new Date(start.getTime() + 12 * HOUR).toISOString(),
    });
    expect(status.customStatus).toEqual({ phase: 'following', round: 48 });
    expect(host.stats(id)).toMatchObject({
      activityCalls: 48,
      timersCreated: 48,
      timersFired: 48,
      replays: 97,
    });
    expect(realMs).toBeLessThan(5_000);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('splits a 10-day timer into the sub-timers the extension creates (3 days each, then the rest)', async () => {
    const host = await createTestHost();
    const start = host.now().getTime();
    const id = await host.start('TenDayTimer');
    const status = await host.runToCompletion(id);

    expect(status.output).toBe(new Date(start + 10 * DAY).toISOString());
    const timers = host
      .history(id)
      .flatMap((event) =>
        event.EventType === EventType.TimerCreated
          ? [[event.EventId, (Date.parse(event.FireAt) - start) / DAY]]
          : [],
      );
    expect(timers).toEqual([
      [0, 3],
      [1, 6],
      [2, 9],
      [3, 10],
    ]);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });

  it('cancels a long timer before its first step fires, but fails like the extension once a step has fired', async () => {
    const host = await createTestHost();
    const early = await host.start('CancelsLongTimer');
    await host.advanceBy(2 * DAY);
    await host.raiseEvent(early, 'Approve');
    expect(await host.runToCompletion(early)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'approved',
    });

    // After the 3-day step fired, the canceled chain no longer issues the next step the history holds.
    const late = await host.start('CancelsLongTimer');
    await host.advanceBy(4 * DAY);
    await host.raiseEvent(late, 'Approve');
    await host.runUntilIdle();
    expect(host.getStatus(late)?.runtimeStatus).toBe('Failed');
    expect(host.failure(late)).toMatchObject({
      errorType: 'NonDeterminismError',
      details: { position: { sequenceNumber: 1 }, expected: { kind: 'timer' }, actual: null },
    });
  });

  it('keeps events raised before anyone waits, and hands them out in order', async () => {
    const host = await createTestHost();
    const id = await host.start('TwoEvents');
    await host.raiseEvent(id, 'Approve', { by: 'alice' });
    await host.raiseEvent(id, 'Approve', { by: 'bob' });
    const status = await host.runToCompletion(id);
    expect(status.output).toEqual([{ by: 'alice' }, { by: 'bob' }]);
    expect((await host.replayEveryPrefix(id)).prefixes).toBe(host.episodes(id).length);
  });
});
