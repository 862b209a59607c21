import { describe, expect, it } from 'vitest';
import { replayExtension } from '../../local/durable/extensionReplay';
import {
  eventRaised,
  executionStarted,
  orchestratorCompleted,
  orchestratorStarted,
  taskOutcome,
  taskScheduled,
  timerCreated,
  timerFired,
} from '../../local/durable/historyBuilder';
import type { HistoryEvent } from '../../local/durable/historyEvents';
import { NonDeterminismError } from '../../local/durable/NonDeterminismError';
import { ActionType, type OrchestratorAction } from '../../local/durable/orchestratorState';

const t0 = new Date('2025-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const started = [
  orchestratorStarted(t0),
  executionStarted({ name: 'O', instanceId: 'i', executionId: 'e', input: null }, t0),
];
const activity = (functionName: string, input?: unknown): OrchestratorAction => ({
  actionType: ActionType.CallActivity,
  functionName,
  input,
});
const failure = { ok: false as const, reason: 'boom', details: '{}' };
const success = (value: unknown) => ({ ok: true as const, resultJson: JSON.stringify(value) });
const replay = (history: HistoryEvent[], actions: OrchestratorAction[]) =>
  replayExtension({ instanceId: 'i', history, actions, isKnownActivity: (name) => name !== 'Missing' });

describe('the extension side of a replay', () => {
  it('schedules new actions with the next sequence numbers and matches recorded ones', () => {
    const history: HistoryEvent[] = [
      ...started,
      taskScheduled(0, 'A', '["x"]', t0),
      orchestratorCompleted(t0),
      orchestratorStarted(at(1)),
    ];
    history.push(taskOutcome(0, success(1), at(1)));
    const result = replay(history, [activity('A', 'x'), activity('B', { n: 1 })]);
    expect(result.decisions).toEqual([
      { kind: 'activity', id: 1, name: 'B', input: { n: 1 }, inputJson: '[{"n":1}]' },
    ]);
    expect(result.hasOpenTasks).toBe(true);
  });

  it('throws NonDeterminismError when the history recorded another task under a sequence number', () => {
    const history: HistoryEvent[] = [
      ...started,
      taskScheduled(0, 'A', '["x"]', t0),
      orchestratorCompleted(t0),
    ];
    expect(() => replay(history, [activity('B', 'x')])).toThrow(NonDeterminismError);
    expect(() => replay(history, [activity('A', 'y')])).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({
          position: { sequenceNumber: 0 },
          expected: { kind: 'activity', name: 'A', input: '"x"' },
          actual: { kind: 'activity', name: 'A', input: '"y"' },
        }),
      }),
    );
  });

  it('throws NonDeterminismError when the history recorded a task the replay does not issue', () => {
    const history: HistoryEvent[] = [...started, timerCreated(0, at(60), t0), orchestratorCompleted(t0)];
    expect(() => replay(history, [])).toThrow(/the history recorded a task this replay did not issue/);
  });

  it('waits for every child of a WhenAll before issuing the next action, as .NET Task.WhenAll does', () => {
    const all: OrchestratorAction = {
      actionType: ActionType.WhenAll,
      compoundActions: [activity('A'), activity('B')],
    };
    const history: HistoryEvent[] = [
      ...started,
      taskScheduled(0, 'A', '[null]', t0),
      taskScheduled(1, 'B', '[null]', t0),
    ];
    history.push(orchestratorCompleted(t0), orchestratorStarted(at(1)), taskOutcome(0, failure, at(1)));
    expect(replay(history, [all, activity('C')]).decisions).toEqual([]);
    history.push(
      orchestratorCompleted(at(1)),
      orchestratorStarted(at(2)),
      taskOutcome(1, success('b'), at(2)),
    );
    expect(replay(history, [all, activity('C')]).decisions).toMatchObject([
      { kind: 'activity', id: 2, name: 'C' },
    ]);
  });

  it('numbers retry timers and attempts in the order the failures are replayed', () => {
    const retry = (name: string): OrchestratorAction => ({
      actionType: ActionType.CallActivityWithRetry,
      functionName: name,
      retryOptions: { firstRetryIntervalInMilliseconds: 5000, maxNumberOfAttempts: 2 },
    });
    const actions: OrchestratorAction[] = [
      { actionType: ActionType.WhenAll, compoundActions: [retry('A'), retry('B')] },
    ];
    const history: HistoryEvent[] = [
      ...started,
      taskScheduled(0, 'A', '[null]', t0),
      taskScheduled(1, 'B', '[null]', t0),
    ];
    history.push(
      orchestratorCompleted(t0),
      orchestratorStarted(at(1)),
      taskOutcome(1, failure, at(1)),
      taskOutcome(0, failure, at(1)),
    );
    expect(replay(history, actions).decisions).toEqual([
      { kind: 'timer', id: 2, fireAt: at(6) },
      { kind: 'timer', id: 3, fireAt: at(6) },
    ]);
    history.push(timerCreated(2, at(6), at(1)), timerCreated(3, at(6), at(1)), orchestratorCompleted(at(1)));
    history.push(orchestratorStarted(at(6)), timerFired(3, at(6).toISOString(), at(6)));
    expect(replay(history, actions).decisions).toMatchObject([{ kind: 'activity', id: 4, name: 'A' }]);
  });

  it('creates a canceled timer but leaves nothing open for it', () => {
    const timer: OrchestratorAction = {
      actionType: ActionType.CreateTimer,
      fireAt: at(60).toISOString(),
      isCanceled: true,
    };
    const result = replay(started, [timer]);
    expect(result.decisions).toEqual([{ kind: 'timer', id: 0, fireAt: at(60) }]);
    expect(result.canceledTimerIds).toEqual([0]);
    expect(result.hasOpenTasks).toBe(false);
    expect(result.actionsSettled).toBe(true);
  });

  it('buffers events by name, ignoring case as the extension does', () => {
    const wait: OrchestratorAction = {
      actionType: ActionType.WaitForExternalEvent,
      externalEventName: 'approve',
    };
    const history: HistoryEvent[] = [...started, eventRaised('Approve', '"yes"', t0)];
    expect(replay(history, [wait, activity('A')]).decisions).toMatchObject([{ id: 0, name: 'A' }]);
  });

  it('refuses an unknown activity the way the extension does, after the actions before it', () => {
    const result = replay(started, [activity('Missing')]);
    expect(result.rejectedAction?.message).toMatch(/The function 'Missing' doesn't exist/);
    expect(result.actionsSettled).toBe(true);
  });
});
