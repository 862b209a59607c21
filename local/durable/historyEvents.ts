/**
 * Orchestration history events as the Durable extension serialises DTFx `HistoryEvent`s for the
 * out-of-process JSON protocol: PascalCase fields, numeric `EventType`, ISO timestamps. Completion
 * events carry `EventId: -1`; scheduling events carry the task's sequence number.
 */

export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

/** DTFx `OrchestrationStatus` values, as `ExecutionCompleted.OrchestrationStatus` carries them. */
export const OrchestrationStatusCode = {
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Terminated: 5,
} as const;

interface EventBase {
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
}

export interface FailureDetailsJson {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable?: boolean;
  Properties?: Record<string, unknown>;
  InnerFailure?: FailureDetailsJson;
}

export interface ExecutionStartedEvent extends EventBase {
  EventType: typeof EventType.ExecutionStarted;
  Name: string;
  Version: string;
  Input: string | null;
  OrchestrationInstance: { InstanceId: string; ExecutionId: string };
  ParentInstance: null;
}

export interface ExecutionCompletedEvent extends EventBase {
  EventType: typeof EventType.ExecutionCompleted;
  OrchestrationStatus: (typeof OrchestrationStatusCode)[keyof typeof OrchestrationStatusCode];
  Result: string | null;
  FailureDetails?: FailureDetailsJson;
}

export interface ExecutionTerminatedEvent extends EventBase {
  EventType: typeof EventType.ExecutionTerminated;
  Input: string | null;
}

export interface TaskScheduledEvent extends EventBase {
  EventType: typeof EventType.TaskScheduled;
  Name: string;
  Version: string;
  Input: string;
}

export interface TaskCompletedEvent extends EventBase {
  EventType: typeof EventType.TaskCompleted;
  TaskScheduledId: number;
  Result: string;
}

export interface TaskFailedEvent extends EventBase {
  EventType: typeof EventType.TaskFailed;
  TaskScheduledId: number;
  Reason: string;
  Details: string;
  FailureDetails?: FailureDetailsJson;
}

export interface TimerCreatedEvent extends EventBase {
  EventType: typeof EventType.TimerCreated;
  FireAt: string;
}

export interface TimerFiredEvent extends EventBase {
  EventType: typeof EventType.TimerFired;
  TimerId: number;
  FireAt: string;
}

export interface OrchestratorStartedEvent extends EventBase {
  EventType: typeof EventType.OrchestratorStarted;
}

export interface OrchestratorCompletedEvent extends EventBase {
  EventType: typeof EventType.OrchestratorCompleted;
}

export interface EventRaisedEvent extends EventBase {
  EventType: typeof EventType.EventRaised;
  Name: string;
  Input?: string;
}

export type HistoryEvent =
  | ExecutionStartedEvent
  | ExecutionCompletedEvent
  | ExecutionTerminatedEvent
  | TaskScheduledEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | TimerCreatedEvent
  | TimerFiredEvent
  | OrchestratorStartedEvent
  | OrchestratorCompletedEvent
  | EventRaisedEvent;

/** An event that arrives from outside an episode (the extension's control-queue messages). */
export type InboundEvent =
  | ExecutionStartedEvent
  | ExecutionTerminatedEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | TimerFiredEvent
  | EventRaisedEvent;

/** Fields every event shares, filled in for a new, not yet played event. */
export function eventBase(timestamp: Date, eventId = -1): EventBase {
  return { EventId: eventId, IsPlayed: false, Timestamp: timestamp.toISOString() };
}
