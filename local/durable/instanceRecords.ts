import { randomUUID } from 'node:crypto';
import { executionStarted } from './historyBuilder';
import type { HistoryEvent } from './historyEvents';
import { TERMINAL_STATUSES, type InstanceRecord, type RuntimeStatus } from './instanceStore';

/** The status of an instance, with the fields of the Durable HTTP API status payload. */
export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  history?: HistoryEvent[];
}

export const isTerminal = (status: RuntimeStatus): boolean => TERMINAL_STATUSES.includes(status);

/** A new id in the extension's format (a GUID without dashes). */
export const newId = (): string => randomUUID().replaceAll('-', '');

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function newRecord(name: string, instanceId: string, input: string | null, now: Date): InstanceRecord {
  const executionId = newId();
  return {
    instanceId,
    name,
    executionId,
    runtimeStatus: 'Pending',
    input,
    output: null,
    customStatus: null,
    createdTime: now.toISOString(),
    lastUpdatedTime: now.toISOString(),
    history: [],
    actions: [],
    episodes: [],
    inbox: [executionStarted({ name, instanceId, executionId, input }, now)],
    pendingActivities: [],
    pendingTimers: [],
    failure: null,
    counters: {
      executions: 1,
      episodes: 0,
      replayedEvents: 0,
      replayCpuMs: 0,
      historyEvents: 0,
      activityCalls: 0,
      activityFailures: 0,
      timersCreated: 0,
      timersFired: 0,
      eventsRaised: 0,
    },
  };
}

export function toStatus(record: InstanceRecord, showHistory: boolean): InstanceStatus {
  return {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: parseJson(record.input),
    output: parseJson(record.output),
    customStatus: parseJson(record.customStatus),
    createdTime: record.createdTime,
    lastUpdatedTime: record.lastUpdatedTime,
    ...(showHistory ? { history: structuredClone(record.history) } : {}),
  };
}
