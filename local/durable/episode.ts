import { replayExtension, type Decision, type ReplayResult } from './extensionReplay';
import type { FunctionRegistry } from './functionsCore';
import {
  executionCompleted,
  executionStarted,
  orchestratorCompleted,
  orchestratorStarted,
  taskScheduled,
  timerCreated,
} from './historyBuilder';
import { EventType, type ExecutionTerminatedEvent, type HistoryEvent } from './historyEvents';
import type {
  EpisodeRecord,
  FailureInfo,
  InstanceRecord,
  PendingActivity,
  PendingTimer,
} from './instanceStore';
import { isTerminal } from './instanceRecords';
import { NonDeterminismError } from './NonDeterminismError';
import { invokeOrchestrator } from './orchestratorInvoker';
import {
  actionList,
  describeAction,
  sameAction,
  type OrchestratorAction,
  type OrchestratorOutcome,
} from './orchestratorState';

export interface EpisodeEnvironment {
  registry: FunctionRegistry;
  now: Date;
  isKnownActivity(name: string): boolean;
  newExecutionId(): string;
}

/** Work an episode hands to the host. */
export interface EpisodeEffects {
  activities: PendingActivity[];
  timers: PendingTimer[];
  canceledTimerIds: number[];
  /** The execution ended (completed, failed, terminated or continued as new): drop its timers. */
  executionEnded: boolean;
  episode?: EpisodeRecord;
}

const MAX_CUSTOM_STATUS_KB = 16;

const noEffects = (): EpisodeEffects => ({
  activities: [],
  timers: [],
  canceledTimerIds: [],
  executionEnded: false,
});

/**
 * Runs one episode of an instance, as the extension does when messages are waiting: the new
 * messages join the history after an OrchestratorStarted event, the orchestrator replays it all,
 * the extension re-issues the returned actions (determinism check), and the new decisions, the
 * end of the execution if any, and OrchestratorCompleted are appended. Mutates `record`.
 */
export async function runEpisode(record: InstanceRecord, env: EpisodeEnvironment): Promise<EpisodeEffects> {
  const messages = record.inbox.splice(0);
  if (messages.length === 0 || isTerminal(record.runtimeStatus)) return noEffects();
  const { now } = env;
  const termination = messages.find(
    (m): m is ExecutionTerminatedEvent => m.EventType === EventType.ExecutionTerminated,
  );
  if (termination) {
    append(record, orchestratorStarted(now), termination);
    endExecution(record, 'Terminated', JSON.stringify(termination.Input ?? ''), now);
    record.lastUpdatedTime = now.toISOString();
    return { ...noEffects(), executionEnded: true };
  }

  const startIndex = record.history.length;
  const newEvents: HistoryEvent[] = [orchestratorStarted(now), ...messages];
  const history = [...record.history, ...newEvents];
  record.runtimeStatus = 'Running';
  const cpuBefore = process.cpuUsage();
  const outcome = await invoke(record, history, env.registry);
  const state = outcome.state;
  let replay: ReplayResult | undefined;
  let actions: OrchestratorAction[] = [];
  let failure: FailureInfo | undefined;
  const customStatusJson = state?.customStatus === undefined ? undefined : JSON.stringify(state.customStatus);
  try {
    if (state) {
      actions = actionList(state);
      failure = customStatusSizeFailure(customStatusJson);
      checkRecordedActions(record.instanceId, record.actions, actions);
      if (!failure) {
        replay = replayExtension({
          instanceId: record.instanceId,
          history,
          actions,
          isKnownActivity: env.isKnownActivity,
        });
      }
    }
  } catch (error) {
    failure = failureInfo(error);
  }
  const cpuMs = cpuMilliseconds(process.cpuUsage(cpuBefore));

  append(record, ...newEvents);
  countEpisode(record, history.length, cpuMs, newEvents);
  if (customStatusJson !== undefined && !failure) record.customStatus = customStatusJson;
  record.actions = actions;
  const effects = noEffects();
  if (replay && !failure) applyDecisions(record, replay, effects, now);

  const episodeOutcome = settle(record, { outcome, replay, failure, now, env });
  effects.executionEnded = episodeOutcome !== 'waiting';
  record.lastUpdatedTime = now.toISOString();
  effects.episode = {
    startIndex,
    historyLength: history.length,
    actionCount: actions.length,
    timestamp: now.toISOString(),
    customStatus: record.customStatus,
    cpuMs,
    outcome: episodeOutcome,
  };
  if (episodeOutcome === 'continuedAsNew') startNextExecution(record, replay?.continueAsNew?.input, env);
  else record.episodes.push(effects.episode);
  return effects;
}

async function invoke(
  record: InstanceRecord,
  history: HistoryEvent[],
  registry: FunctionRegistry,
): Promise<OrchestratorOutcome> {
  const fn = registry.find(record.name, 'orchestrationTrigger');
  if (!fn) {
    return { kind: 'failed', message: `The orchestrator function '${record.name}' is not registered.` };
  }
  return invokeOrchestrator(registry, fn, {
    instanceId: record.instanceId,
    history,
    input: record.input === null ? null : JSON.parse(record.input),
  });
}

/** The previous episode's actions must come back first, unchanged (event waits included). */
function checkRecordedActions(
  instanceId: string,
  recorded: OrchestratorAction[],
  actions: OrchestratorAction[],
): void {
  recorded.forEach((recordedAction, index) => {
    const expected = describeAction(recordedAction);
    const replayed = actions[index];
    const actual = replayed ? describeAction(replayed) : null;
    if (!actual || !sameAction(expected, actual)) {
      throw new NonDeterminismError(
        { instanceId, position: { actionIndex: index }, expected, actual },
        actual
          ? 'the replay returned a different action than the previous episode'
          : 'the replay stopped before an action it returned before',
      );
    }
  });
}

function applyDecisions(
  record: InstanceRecord,
  replay: ReplayResult,
  effects: EpisodeEffects,
  now: Date,
): void {
  const canceled = new Set(replay.canceledTimerIds);
  for (const decision of replay.decisions) {
    append(record, schedulingEvent(decision, now));
    if (decision.kind === 'activity') {
      const activity = { id: decision.id, name: decision.name, input: decision.input };
      record.pendingActivities.push(activity);
      effects.activities.push(activity);
      record.counters.activityCalls += 1;
    } else {
      record.counters.timersCreated += 1;
      if (!canceled.has(decision.id)) {
        const timer = { id: decision.id, fireAt: decision.fireAt.toISOString() };
        record.pendingTimers.push(timer);
        effects.timers.push(timer);
      }
    }
  }
  record.pendingTimers = record.pendingTimers.filter((timer) => !canceled.has(timer.id));
  effects.canceledTimerIds = replay.canceledTimerIds;
}

function schedulingEvent(decision: Decision, now: Date): HistoryEvent {
  return decision.kind === 'activity'
    ? taskScheduled(decision.id, decision.name, decision.inputJson, now)
    : timerCreated(decision.id, decision.fireAt, now);
}

interface SettleInput {
  outcome: OrchestratorOutcome;
  replay: ReplayResult | undefined;
  failure: FailureInfo | undefined;
  now: Date;
  env: EpisodeEnvironment;
}

/**
 * Ends the execution when the extension would: at once for a determinism failure or a failed
 * invocation without state; otherwise only once every returned action was awaited and no activity
 * or timer is still open (DTFx keeps an instance running while an uncanceled timer is pending).
 */
function settle(record: InstanceRecord, input: SettleInput): EpisodeRecord['outcome'] {
  const { outcome, replay, failure, now } = input;
  const fail = (info: FailureInfo): 'failed' => {
    endExecution(record, 'Failed', JSON.stringify(info.message), now, info);
    return 'failed';
  };
  if (failure) return fail(failure);
  const prefix = `Orchestrator function '${record.name}' failed: `;
  if (!replay) return fail({ errorType: 'OrchestrationFailure', message: prefix + failedMessage(outcome) });
  if (!replay.actionsSettled || replay.hasOpenTasks) {
    orchestratorCompletedNow(record, now);
    return 'waiting';
  }
  if (replay.rejectedAction)
    return fail({ errorType: 'ArgumentException', message: replay.rejectedAction.message });
  if (outcome.kind === 'failed') {
    return fail({ errorType: 'OrchestrationFailure', message: prefix + outcome.message });
  }
  if (!outcome.state.isDone) {
    orchestratorCompletedNow(record, now);
    return 'waiting';
  }
  if (replay.continueAsNew) {
    endExecution(record, 'ContinuedAsNew', JSON.stringify(replay.continueAsNew.input ?? null), now);
    return 'continuedAsNew';
  }
  endExecution(record, 'Completed', JSON.stringify(outcome.state.output ?? null), now);
  return 'completed';
}

function failedMessage(outcome: OrchestratorOutcome): string {
  return outcome.kind === 'failed' ? outcome.message : 'no orchestrator state';
}

function orchestratorCompletedNow(record: InstanceRecord, now: Date): void {
  append(record, orchestratorCompleted(now));
}

function endExecution(
  record: InstanceRecord,
  status: 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew',
  resultJson: string | null,
  now: Date,
  failure?: FailureInfo,
): void {
  const failureDetails = failure && { ErrorType: failure.errorType, ErrorMessage: failure.message };
  append(record, executionCompleted(status, resultJson, now, failureDetails), orchestratorCompleted(now));
  record.runtimeStatus = status;
  record.output = resultJson;
  record.failure = failure ?? null;
  record.pendingActivities = [];
  record.pendingTimers = [];
}

/** continueAsNew: same instance, new execution with a fresh history; later messages carry over. */
function startNextExecution(record: InstanceRecord, actionInput: unknown, env: EpisodeEnvironment): void {
  // The SDK sends string inputs as JSON text, like activity inputs; the worker side parses them once.
  const input = typeof actionInput === 'string' ? JSON.parse(actionInput) : actionInput;
  record.executionId = env.newExecutionId();
  record.input = JSON.stringify(input ?? null);
  record.history = [];
  record.actions = [];
  record.episodes = [];
  record.counters.executions += 1;
  record.inbox.unshift(executionStarted(record, env.now));
}

/** Stored events have all been played; the next episode replays them. */
function append(record: InstanceRecord, ...events: HistoryEvent[]): void {
  for (const event of events) {
    event.IsPlayed = true;
    record.history.push(event);
  }
  record.counters.historyEvents += events.length;
}

function countEpisode(
  record: InstanceRecord,
  replayed: number,
  cpuMs: number,
  newEvents: HistoryEvent[],
): void {
  const counters = record.counters;
  counters.episodes += 1;
  counters.replayedEvents += replayed;
  counters.replayCpuMs += cpuMs;
  for (const event of newEvents) {
    if (event.EventType === EventType.TaskFailed) counters.activityFailures += 1;
    else if (event.EventType === EventType.TimerFired) counters.timersFired += 1;
    else if (event.EventType === EventType.EventRaised) counters.eventsRaised += 1;
  }
}

/** The extension refuses a custom status over 16 KB of UTF-16, which fails the orchestration. */
function customStatusSizeFailure(json: string | undefined): FailureInfo | undefined {
  const sizeInKb = Math.floor(((json?.length ?? 0) * 2) / 1024);
  if (sizeInKb <= MAX_CUSTOM_STATUS_KB) return undefined;
  return {
    errorType: 'ArgumentException',
    message:
      `The UTF-16 size of the JSON-serialized payload must not exceed ${MAX_CUSTOM_STATUS_KB} KB. ` +
      `The current payload size is ${sizeInKb} KB.`,
  };
}

function failureInfo(error: unknown): FailureInfo {
  if (error instanceof NonDeterminismError) {
    return { errorType: error.name, message: error.message, details: { ...error.details } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { errorType: error instanceof Error ? error.name : 'Error', message };
}

function cpuMilliseconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
