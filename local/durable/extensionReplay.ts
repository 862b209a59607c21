import {
  EventType,
  type HistoryEvent,
  type TaskScheduledEvent,
  type TimerCreatedEvent,
} from './historyEvents';
import { NonDeterminismError } from './NonDeterminismError';
import {
  ActionType,
  type ActionDescriptor,
  type CallActivityWithRetryAction,
  type OrchestratorAction,
} from './orchestratorState';
import { SyncTask } from './syncTask';
import { LONG_TIMER_INTERVAL_MS, MAXIMUM_SHORT_TIMER_MS, nextRetryDelayMs } from './timing';

/**
 * The Durable extension's side of an episode, as DTFx runs it: the out-of-process shim re-issues
 * every action the SDK returned, one after the other (awaiting each), against a replay of the full
 * history. Each activity call and timer takes the next sequence number when it is issued; history
 * `TaskScheduled`/`TimerCreated` events must match them (the determinism check); whatever is left
 * unmatched is the new work of this episode. Retries and long timers are loops on this side, so
 * their attempts and sub-timers take numbers as the events that drive them are replayed.
 */

export type Decision =
  | { kind: 'activity'; id: number; name: string; input: unknown; inputJson: string }
  | { kind: 'timer'; id: number; fireAt: Date };

export interface ReplayResult {
  /** New activity calls and timers, in sequence order. */
  decisions: Decision[];
  /** Timers the orchestrator canceled: they must not fire. */
  canceledTimerIds: number[];
  /** The shim has awaited every action: with no open task left, the execution can end. */
  actionsSettled: boolean;
  /** Activities or timers still awaited; DTFx keeps the instance running while any is open. */
  hasOpenTasks: boolean;
  /** Input of the next execution when the orchestrator called continueAsNew. */
  continueAsNew?: { input: unknown };
  /** An action the extension refused (unknown activity, unsupported action type). */
  rejectedAction?: Error;
}

export interface ReplayOptions {
  instanceId: string;
  /** The history of the execution, including this episode's new events. */
  history: readonly HistoryEvent[];
  /** The cumulative actions the SDK returned for that history. */
  actions: readonly OrchestratorAction[];
  isKnownActivity(name: string): boolean;
}

export function replayExtension(options: ReplayOptions): ReplayResult {
  const context = new ExtensionContext(options.instanceId);
  let actionsSettled = false;
  let rejectedAction: Error | undefined;
  const issueFrom = (index: number): void => {
    if (index === options.actions.length) {
      actionsSettled = true;
      return;
    }
    let task: SyncTask;
    try {
      task = issueAction(context, options.actions[index]!, options.isKnownActivity);
    } catch (error) {
      rejectedAction = error instanceof Error ? error : new Error(String(error));
      actionsSettled = true;
      return;
    }
    // The shim ignores the outcome of each awaited action: the SDK already saw it.
    task.whenDone(() => issueFrom(index + 1));
  };
  for (const event of options.history) {
    if (event.EventType === EventType.ExecutionStarted) issueFrom(0);
    else context.apply(event);
  }
  return {
    decisions: context.unmatchedDecisions(),
    canceledTimerIds: context.canceledTimerIds,
    actionsSettled,
    hasOpenTasks: context.hasOpenTasks,
    continueAsNew: context.continueAsNewInput,
    rejectedAction,
  };
}

function issueAction(
  context: ExtensionContext,
  action: OrchestratorAction,
  isKnownActivity: (name: string) => boolean,
): SyncTask {
  switch (action.actionType) {
    case ActionType.CallActivity:
      requireActivity(action.functionName, isKnownActivity);
      return context.scheduleActivity(action.functionName, action.input);
    case ActionType.CallActivityWithRetry:
      requireActivity(action.functionName, isKnownActivity);
      return callWithRetry(context, action);
    case ActionType.CreateTimer:
      return createDurableTimer(context, new Date(action.fireAt), action.isCanceled);
    case ActionType.WaitForExternalEvent:
      return context.waitForEvent(action.externalEventName);
    case ActionType.ContinueAsNew:
      context.continueAsNewInput = { input: action.input };
      return SyncTask.completed<unknown>(undefined);
    case ActionType.WhenAll:
      return SyncTask.whenAll(
        action.compoundActions.map((child) => issueAction(context, child, isKnownActivity)),
      );
    case ActionType.WhenAny:
      return SyncTask.whenAny(
        action.compoundActions.map((child) => issueAction(context, child, isKnownActivity)),
      );
    default:
      throw new Error(
        `The local Durable engine does not support action type ${action.actionType} ` +
          '(sub-orchestrations, entities and durable HTTP are not emulated).',
      );
  }
}

function requireActivity(name: string, isKnownActivity: (name: string) => boolean): void {
  if (!isKnownActivity(name)) {
    throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an activity function.`);
  }
}

/** DTFx `RetryInterceptor`: a failure is followed by a retry timer, even after the last attempt. */
function callWithRetry(context: ExtensionContext, action: CallActivityWithRetryAction): SyncTask {
  const result = new SyncTask();
  const options = action.retryOptions;
  const firstAttemptAt = context.now;
  const attempt = (retryCount: number): void => {
    context.scheduleActivity(action.functionName, action.input).whenDone((outcome) => {
      if (outcome.status === 'completed') {
        result.complete(outcome.value);
        return;
      }
      const failure = outcome.status === 'failed' ? outcome.error : new Error('canceled');
      const delayMs = nextRetryDelayMs(options, retryCount, firstAttemptAt, context.now);
      if (delayMs === 0) {
        result.fail(failure);
        return;
      }
      context.createTimer(new Date(context.now.getTime() + delayMs), false).whenDone(() => {
        if (retryCount + 1 < options.maxNumberOfAttempts) attempt(retryCount + 1);
        else result.fail(failure);
      });
    });
  };
  if (options.maxNumberOfAttempts < 1) result.fail(new Error('maxNumberOfAttempts is below 1'));
  else attempt(0);
  return result;
}

/** The extension's `CreateTimer`: beyond the provider's longest timer, a chain of shorter ones. */
function createDurableTimer(context: ExtensionContext, fireAt: Date, canceled: boolean): SyncTask {
  if (fireAt.getTime() - context.now.getTime() <= MAXIMUM_SHORT_TIMER_MS) {
    return context.createTimer(fireAt, canceled);
  }
  const result = new SyncTask();
  const next = (intervalFireAt: Date): void => {
    context.createTimer(intervalFireAt, canceled).whenDone((outcome) => {
      if (outcome.status !== 'completed') {
        result.settle(outcome);
        return;
      }
      const remainingMs = fireAt.getTime() - context.now.getTime();
      if (remainingMs <= 0) result.complete(undefined);
      else next(new Date(context.now.getTime() + Math.min(remainingMs, LONG_TIMER_INTERVAL_MS)));
    });
  };
  next(new Date(context.now.getTime() + LONG_TIMER_INTERVAL_MS));
  return result;
}

/** The DTFx orchestration context plus the extension's external-event bookkeeping. */
class ExtensionContext {
  now = new Date(0);
  continueAsNewInput: { input: unknown } | undefined;
  readonly canceledTimerIds: number[] = [];
  private nextSequenceNumber = 0;
  private readonly unmatched = new Map<number, Decision>();
  private readonly open = new Map<number, SyncTask>();
  private readonly eventWaiters = new Map<string, SyncTask[]>();
  private readonly bufferedEvents = new Map<string, unknown[]>();

  constructor(private readonly instanceId: string) {}

  get hasOpenTasks(): boolean {
    return this.open.size > 0;
  }

  scheduleActivity(name: string, input: unknown): SyncTask {
    const id = this.nextSequenceNumber++;
    // DTFx serialises the parameter array of ScheduleTask, hence the brackets.
    this.unmatched.set(id, { kind: 'activity', id, name, input, inputJson: JSON.stringify([input ?? null]) });
    return this.openTask(id);
  }

  createTimer(fireAt: Date, canceled: boolean): SyncTask {
    const id = this.nextSequenceNumber++;
    this.unmatched.set(id, { kind: 'timer', id, fireAt });
    const task = this.openTask(id);
    if (canceled) {
      // A canceled timer is still created, but nothing waits for it any more.
      this.open.delete(id);
      this.canceledTimerIds.push(id);
      task.cancel();
    }
    return task;
  }

  waitForEvent(name: string): SyncTask {
    const key = name.toLowerCase();
    const buffered = this.bufferedEvents.get(key);
    if (buffered && buffered.length > 0) return SyncTask.completed(buffered.shift());
    const task = new SyncTask();
    this.eventWaiters.set(key, [...(this.eventWaiters.get(key) ?? []), task]);
    return task;
  }

  apply(event: HistoryEvent): void {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
        this.now = new Date(event.Timestamp);
        break;
      case EventType.TaskScheduled:
        this.match(event);
        break;
      case EventType.TimerCreated:
        this.match(event);
        break;
      case EventType.TaskCompleted:
        this.takeOpen(event.TaskScheduledId)?.complete(JSON.parse(event.Result));
        break;
      case EventType.TaskFailed:
        this.takeOpen(event.TaskScheduledId)?.fail(new Error(event.Reason));
        break;
      case EventType.TimerFired:
        this.takeOpen(event.TimerId)?.complete(undefined);
        break;
      case EventType.EventRaised:
        this.raise(event.Name, event.Input === undefined ? undefined : JSON.parse(event.Input));
        break;
      default:
        break;
    }
  }

  unmatchedDecisions(): Decision[] {
    return [...this.unmatched.values()].sort((a, b) => a.id - b.id);
  }

  private openTask(id: number): SyncTask {
    const task = new SyncTask();
    this.open.set(id, task);
    return task;
  }

  private takeOpen(id: number): SyncTask | undefined {
    const task = this.open.get(id);
    this.open.delete(id);
    return task;
  }

  private raise(name: string, value: unknown): void {
    const key = name.toLowerCase();
    const waiter = this.eventWaiters.get(key)?.shift();
    if (waiter) waiter.complete(value);
    else this.bufferedEvents.set(key, [...(this.bufferedEvents.get(key) ?? []), value]);
  }

  /** A scheduling event of the history must match what this replay issued under the same number. */
  private match(event: TaskScheduledEvent | TimerCreatedEvent): void {
    const issued = this.unmatched.get(event.EventId);
    const expected = describeRecorded(event);
    const actual = issued ? describeDecision(issued) : null;
    if (!actual || JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new NonDeterminismError(
        { instanceId: this.instanceId, position: { sequenceNumber: event.EventId }, expected, actual },
        actual
          ? 'the replay issued a different task under this sequence number than the history recorded'
          : 'the history recorded a task this replay did not issue',
      );
    }
    this.unmatched.delete(event.EventId);
  }
}

function describeRecorded(event: TaskScheduledEvent | TimerCreatedEvent): ActionDescriptor {
  return event.EventType === EventType.TaskScheduled
    ? {
        kind: 'activity',
        name: event.Name,
        input: JSON.stringify((JSON.parse(event.Input) as unknown[])[0] ?? null),
      }
    : { kind: 'timer', fireAt: new Date(event.FireAt).toISOString() };
}

function describeDecision(decision: Decision): ActionDescriptor {
  return decision.kind === 'activity'
    ? { kind: 'activity', name: decision.name, input: JSON.stringify(decision.input ?? null) }
    : { kind: 'timer', fireAt: decision.fireAt.toISOString() };
}
