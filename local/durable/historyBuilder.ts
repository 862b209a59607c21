import type { ActivityOutcome } from './activityRunner';
import {
  eventBase,
  EventType,
  OrchestrationStatusCode,
  type EventRaisedEvent,
  type ExecutionCompletedEvent,
  type ExecutionStartedEvent,
  type ExecutionTerminatedEvent,
  type FailureDetailsJson,
  type OrchestratorCompletedEvent,
  type OrchestratorStartedEvent,
  type TaskCompletedEvent,
  type TaskFailedEvent,
  type TaskScheduledEvent,
  type TimerCreatedEvent,
  type TimerFiredEvent,
} from './historyEvents';

/** Builders for the events the extension writes, stamped with the time they happen. */

export function orchestratorStarted(now: Date): OrchestratorStartedEvent {
  return { EventType: EventType.OrchestratorStarted, ...eventBase(now) };
}

export function orchestratorCompleted(now: Date): OrchestratorCompletedEvent {
  return { EventType: EventType.OrchestratorCompleted, ...eventBase(now) };
}

export function executionStarted(
  execution: { name: string; instanceId: string; executionId: string; input: string | null },
  now: Date,
): ExecutionStartedEvent {
  return {
    EventType: EventType.ExecutionStarted,
    ...eventBase(now),
    Name: execution.name,
    Version: '',
    Input: execution.input,
    OrchestrationInstance: { InstanceId: execution.instanceId, ExecutionId: execution.executionId },
    ParentInstance: null,
  };
}

export function executionCompleted(
  status: keyof typeof OrchestrationStatusCode,
  result: string | null,
  now: Date,
  failureDetails?: FailureDetailsJson,
): ExecutionCompletedEvent {
  return {
    EventType: EventType.ExecutionCompleted,
    ...eventBase(now),
    OrchestrationStatus: OrchestrationStatusCode[status],
    Result: result,
    ...(failureDetails ? { FailureDetails: failureDetails } : {}),
  };
}

export function executionTerminated(reason: string, now: Date): ExecutionTerminatedEvent {
  return { EventType: EventType.ExecutionTerminated, ...eventBase(now), Input: reason };
}

export function taskScheduled(id: number, name: string, inputJson: string, now: Date): TaskScheduledEvent {
  return {
    EventType: EventType.TaskScheduled,
    ...eventBase(now, id),
    Name: name,
    Version: '',
    Input: inputJson,
  };
}

export function timerCreated(id: number, fireAt: Date, now: Date): TimerCreatedEvent {
  return { EventType: EventType.TimerCreated, ...eventBase(now, id), FireAt: fireAt.toISOString() };
}

export function taskOutcome(
  id: number,
  result: ActivityOutcome,
  now: Date,
): TaskCompletedEvent | TaskFailedEvent {
  if (result.ok) {
    return {
      EventType: EventType.TaskCompleted,
      ...eventBase(now),
      TaskScheduledId: id,
      Result: result.resultJson,
    };
  }
  return {
    EventType: EventType.TaskFailed,
    ...eventBase(now),
    TaskScheduledId: id,
    Reason: result.reason,
    Details: result.details,
    ...(result.failureDetails ? { FailureDetails: result.failureDetails } : {}),
  };
}

export function timerFired(id: number, fireAt: string, now: Date): TimerFiredEvent {
  return { EventType: EventType.TimerFired, ...eventBase(now), TimerId: id, FireAt: fireAt };
}

export function eventRaised(name: string, dataJson: string | undefined, now: Date): EventRaisedEvent {
  return {
    EventType: EventType.EventRaised,
    ...eventBase(now),
    Name: name,
    ...(dataJson === undefined ? {} : { Input: dataJson }),
  };
}
