import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, installFunctionsCore, NonDeterminismError } from '../../local/durable';

installFunctionsCore();

const MINUTE = 60_000;

df.app.activity('StepA', { handler: () => 'a' });
df.app.activity('StepB', { handler: () => 'b' });

let counterInvocations = 0;
df.app.orchestration('BranchesOnModuleCounter', function* (context: OrchestrationContext) {
  counterInvocations += 1;
  const step = counterInvocations % 2 === 1 ? 'StepA' : 'StepB';
  yield context.df.callActivity(step);
  return step;
});

df.app.orchestration('TimerFromDateNow', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(Date.now() + MINUTE));
  return 'done';
});

df.app.orchestration('WaitsOnRandomEvent', function* (context: OrchestrationContext) {
  yield context.df.callActivity('StepA');
  const eventName = Math.random() < 2 ? `Approve-${Math.random()}` : 'never';
  yield context.df.waitForExternalEvent(eventName);
  return 'approved';
});

df.app.orchestration('RandomCustomStatus', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ token: Math.random() });
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + MINUTE));
  return 'done';
});

let deployedVersion: 'v1' | 'v2' = 'v1';
df.app.orchestration('ChangesBetweenDeployments', function* (context: OrchestrationContext) {
  yield context.df.callActivity('StepA');
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + MINUTE));
  yield context.df.callActivity(deployedVersion === 'v1' ? 'StepA' : 'StepB');
  return deployedVersion;
});

describe('determinism checks', () => {
  it('fails an orchestrator that branches on module state, naming the divergence', async () => {
    const host = await createTestHost();
    const id = await host.start('BranchesOnModuleCounter');
    const status = await host.runToCompletion(id);

    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/^Non-Deterministic workflow detected in instance '\w+' at action #0/);
    expect(host.failure(id)).toMatchObject({
      errorType: 'NonDeterminismError',
      details: {
        instanceId: id,
        position: { actionIndex: 0 },
        expected: { kind: 'activity', name: 'StepA' },
        actual: { kind: 'activity', name: 'StepB' },
      },
    });
    await expect(host.replayEveryPrefix(id)).rejects.toBeInstanceOf(NonDeterminismError);
  });

  it('fails an orchestrator that takes its timer from Date.now()', async () => {
    const sleep = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
    const host = await createTestHost({ startTime: new Date(), onClockAdvance: sleep });
    const id = await host.start('TimerFromDateNow');
    const status = await host.runToCompletion(id);

    expect(status.runtimeStatus).toBe('Failed');
    expect(host.failure(id)).toMatchObject({
      errorType: 'NonDeterminismError',
      details: { position: { actionIndex: 0 }, expected: { kind: 'timer' }, actual: { kind: 'timer' } },
    });
  });

  it('fails an orchestrator that waits for an event name it computes from Math.random()', async () => {
    const host = await createTestHost();
    const id = await host.start('WaitsOnRandomEvent');
    await host.runUntilIdle();
    // The first replay that sees the activity result waits for some event name; raising any event replays again.
    await host.raiseEvent(id, 'Unrelated');
    await host.runUntilIdle();

    expect(host.getStatus(id)?.runtimeStatus).toBe('Failed');
    expect(host.failure(id)).toMatchObject({
      details: {
        position: { actionIndex: 1 },
        expected: { kind: 'waitForEvent' },
        actual: { kind: 'waitForEvent' },
      },
    });
  });

  it('replayEveryPrefix accepts a deterministic run and catches the custom status it cannot reproduce', async () => {
    const host = await createTestHost();
    const good = await host.start('ChangesBetweenDeployments');
    await host.runToCompletion(good);
    const report = await host.replayEveryPrefix(good);
    expect(report).toEqual({ instanceId: good, prefixes: 4, actionsCompared: 1 + 2 + 3 + 3 });

    const random = await host.start('RandomCustomStatus');
    expect((await host.runToCompletion(random)).runtimeStatus).toBe('Completed');
    await expect(host.replayEveryPrefix(random)).rejects.toMatchObject({
      name: 'NonDeterminismError',
      details: {
        position: { episodeAt: 0 },
        expected: { kind: 'customStatus' },
        actual: { kind: 'customStatus' },
      },
    });
  });

  it('replayEveryPrefix catches an orchestrator changed under a finished history', async () => {
    const host = await createTestHost();
    const id = await host.start('ChangesBetweenDeployments');
    await host.runToCompletion(id);
    deployedVersion = 'v2';
    try {
      const replay = host.replayEveryPrefix(id);
      await expect(replay).rejects.toBeInstanceOf(NonDeterminismError);
      await expect(replay).rejects.toMatchObject({
        details: {
          position: { actionIndex: 2 },
          expected: { kind: 'activity', name: 'StepA' },
          actual: { kind: 'activity', name: 'StepB' },
        },
      });
    } finally {
      deployedVersion = 'v1';
    }
  });
});
