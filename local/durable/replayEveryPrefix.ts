import type { DurableEngine } from './engine';
import { replayExtension } from './extensionReplay';
import { EventType, type HistoryEvent } from './historyEvents';
import {
  NonDeterminismError,
  type NonDeterminismDetails,
  type ReplayObservation,
} from './NonDeterminismError';
import { invokeOrchestrator } from './orchestratorInvoker';
import { actionList, describeAction, sameAction, type ActionDescriptor } from './orchestratorState';

export interface PrefixReplayReport {
  instanceId: string;
  /** Episodes replayed (one per prefix). */
  prefixes: number;
  /** Actions compared over all prefixes. */
  actionsCompared: number;
}

/**
 * Replays the orchestrator on every prefix of an instance's current history, cut where each
 * episode began, and checks that each replay returns exactly what that episode returned: the same
 * actions (and no more), the same new activity calls and timers, the same custom status, and the
 * same output when the episode completed the instance. Throws NonDeterminismError otherwise.
 */
export async function replayEveryPrefix(
  engine: DurableEngine,
  instanceId: string,
): Promise<PrefixReplayReport> {
  const record = engine.record(instanceId);
  const fn = engine.registry.find(record.name, 'orchestrationTrigger');
  if (!fn) throw new TypeError(`The orchestrator function '${record.name}' is not registered.`);
  const diverged = (
    position: NonDeterminismDetails['position'],
    expected: ReplayObservation | null,
    actual: ReplayObservation | null,
    reason: string,
  ): NonDeterminismError => new NonDeterminismError({ instanceId, position, expected, actual }, reason);
  let actionsCompared = 0;
  for (const episode of record.episodes) {
    const prefix = record.history
      .slice(0, episode.historyLength)
      .map((event, index) => ({ ...event, IsPlayed: index < episode.startIndex }));
    const outcome = await invokeOrchestrator(engine.registry, fn, {
      instanceId,
      history: prefix,
      input: record.input === null ? null : JSON.parse(record.input),
    });
    if (!outcome.state) {
      if (episode.outcome === 'failed') continue;
      throw new Error(
        `Replaying episode at event ${episode.startIndex} failed: ${outcome.kind === 'failed' ? outcome.message : ''}`,
      );
    }
    const actions = actionList(outcome.state);
    const recorded = record.actions.slice(0, episode.actionCount);
    for (let index = 0; index < Math.max(actions.length, recorded.length); index += 1) {
      const recordedAction = recorded[index];
      const replayedAction = actions[index];
      const expected = recordedAction ? describeAction(recordedAction) : null;
      const actual = replayedAction ? describeAction(replayedAction) : null;
      if (!expected || !actual || !sameAction(expected, actual)) {
        throw diverged(
          { actionIndex: index },
          expected,
          actual,
          'replaying this prefix returned other actions than the episode did',
        );
      }
      actionsCompared += 1;
    }
    const decided = replayExtension({
      instanceId,
      history: prefix,
      actions,
      isKnownActivity: (name) => engine.isKnownActivity(name),
    }).decisions;
    const written = scheduledAfter(record.history, episode.historyLength);
    for (let index = 0; index < Math.max(decided.length, written.length); index += 1) {
      const expected = written[index];
      const decision = decided[index];
      const actual: ActionDescriptor | undefined =
        decision &&
        (decision.kind === 'activity'
          ? { kind: 'activity', name: decision.name, input: JSON.stringify(decision.input ?? null) }
          : { kind: 'timer', fireAt: decision.fireAt.toISOString() });
      if (!expected || !actual || !sameAction(expected.action, actual) || expected.id !== decision?.id) {
        throw diverged(
          { sequenceNumber: expected?.id ?? decision?.id ?? -1 },
          expected?.action ?? null,
          actual ?? null,
          'replaying this prefix schedules other work than the episode wrote to the history',
        );
      }
    }
    const customStatus = outcome.state.customStatus;
    if (customStatus !== undefined && JSON.stringify(customStatus) !== episode.customStatus) {
      throw diverged(
        { episodeAt: episode.startIndex },
        { kind: 'customStatus', json: episode.customStatus },
        { kind: 'customStatus', json: JSON.stringify(customStatus) },
        'the custom status differs',
      );
    }
    const output = JSON.stringify(outcome.state.output ?? null);
    if (episode.outcome === 'completed' && output !== record.output) {
      throw diverged(
        { episodeAt: episode.startIndex },
        { kind: 'output', json: record.output },
        { kind: 'output', json: output },
        'the output differs',
      );
    }
  }
  return { instanceId, prefixes: record.episodes.length, actionsCompared };
}

/** The activity calls and timers an episode wrote right after the events it was given. */
function scheduledAfter(
  history: HistoryEvent[],
  from: number,
): Array<{ id: number; action: ActionDescriptor }> {
  const scheduled: Array<{ id: number; action: ActionDescriptor }> = [];
  for (const event of history.slice(from)) {
    if (event.EventType === EventType.TaskScheduled) {
      const input = JSON.stringify((JSON.parse(event.Input) as unknown[])[0] ?? null);
      scheduled.push({ id: event.EventId, action: { kind: 'activity', name: event.Name, input } });
    } else if (event.EventType === EventType.TimerCreated) {
      scheduled.push({
        id: event.EventId,
        action: { kind: 'timer', fireAt: new Date(event.FireAt).toISOString() },
      });
    } else {
      break;
    }
  }
  return scheduled;
}
