import type { HistoryEvent, InboundEvent } from './historyEvents';
import type { OrchestratorAction } from './orchestratorState';

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew';

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated'];

/** One run of the orchestrator function (one replay of the history). */
export interface EpisodeRecord {
  /** Index in the history of this episode's OrchestratorStarted event. */
  startIndex: number;
  /** Number of history events the orchestrator was given (past ones plus this episode's new ones). */
  historyLength: number;
  /** Number of top-level actions the orchestrator had returned by the end of the episode. */
  actionCount: number;
  timestamp: string;
  /** Custom status (JSON text) after this episode. */
  customStatus: string | null;
  cpuMs: number;
  outcome: 'waiting' | 'completed' | 'failed' | 'continuedAsNew';
}

export interface PendingActivity {
  id: number;
  name: string;
  /** The action input as the SDK sent it (string inputs are still JSON text). */
  input: unknown;
}

export interface PendingTimer {
  id: number;
  fireAt: string;
}

export interface FailureInfo {
  errorType: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Counters over the whole life of an instance (all executions). */
export interface InstanceCounters {
  executions: number;
  episodes: number;
  /** History events handed to the orchestrator, summed over episodes: the replay work. */
  replayedEvents: number;
  replayCpuMs: number;
  historyEvents: number;
  activityCalls: number;
  activityFailures: number;
  timersCreated: number;
  timersFired: number;
  eventsRaised: number;
}

/**
 * Everything the engine needs to answer for an instance and to resume it after a restart. Plain
 * JSON: a store may persist it as is. Values (input, output, custom status) are JSON text.
 */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  /** History of the current execution; every stored event has been played. */
  history: HistoryEvent[];
  /** The actions the last episode returned: the next replay must reproduce them first. */
  actions: OrchestratorAction[];
  episodes: EpisodeRecord[];
  /** Messages not yet handed to an episode. */
  inbox: InboundEvent[];
  pendingActivities: PendingActivity[];
  pendingTimers: PendingTimer[];
  failure: FailureInfo | null;
  counters: InstanceCounters;
}

/** Where the engine keeps instances. The engine writes a record after every change, in order. */
export interface InstanceStore {
  get(instanceId: string): Promise<InstanceRecord | undefined>;
  put(record: InstanceRecord): Promise<void>;
  list(): Promise<InstanceRecord[]>;
  delete(instanceId: string): Promise<boolean>;
}

/** Keeps copies, so that what is stored is what was written, as with a real store. */
export class InMemoryInstanceStore implements InstanceStore {
  private readonly records = new Map<string, InstanceRecord>();

  async get(instanceId: string): Promise<InstanceRecord | undefined> {
    const record = this.records.get(instanceId);
    return record && structuredClone(record);
  }

  async put(record: InstanceRecord): Promise<void> {
    this.records.set(record.instanceId, structuredClone(record));
  }

  async list(): Promise<InstanceRecord[]> {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  async delete(instanceId: string): Promise<boolean> {
    return this.records.delete(instanceId);
  }
}
