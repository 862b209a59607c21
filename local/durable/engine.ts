import { invokeActivity, type ActivityHandler } from './activityRunner';
import type { Clock } from './clock';
import { DurableEngineError } from './DurableEngineError';
import { runEpisode } from './episode';
import type { FunctionRegistry } from './functionsCore';
import { eventRaised, executionTerminated, taskOutcome, timerFired } from './historyBuilder';
import type { HistoryEvent } from './historyEvents';
import { historyStats, type HistoryStats } from './historyStats';
import { isTerminal, newId, newRecord, toStatus, type InstanceStatus } from './instanceRecords';
import {
  InMemoryInstanceStore,
  type EpisodeRecord,
  type FailureInfo,
  type InstanceRecord,
  type InstanceStore,
  type PendingActivity,
  type RuntimeStatus,
} from './instanceStore';
import { OrderedStoreWriter } from './orderedStoreWriter';
import { TimerQueue, type ArmedTimer } from './timerQueue';
import { WorkPool } from './workPool';

export interface DurableEngineOptions {
  registry: FunctionRegistry;
  clock: Clock;
  store?: InstanceStore;
  /** Per-name replacements for activities (registered or not). */
  activities?: Record<string, ActivityHandler>;
  /** host.json `extensions.durableTask.maxConcurrentActivityFunctions`; unlimited when absent. */
  maxConcurrentActivities?: number;
  /** Called after every episode, with the custom status it left. */
  onEpisode?: (notice: EpisodeNotice) => void;
}

export interface EpisodeNotice {
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  customStatus: unknown;
  episode: EpisodeRecord;
}

interface ActivityWork extends PendingActivity {
  instanceId: string;
  executionId: string;
}

/**
 * A local stand-in for the Durable extension: keeps instances, runs their episodes through the
 * real SDK (one episode at a time), runs activities (concurrently, up to a limit) and fires timers
 * on its clock. Every change is written to the instance store, in order.
 */
export class DurableEngine {
  readonly clock: Clock;
  readonly registry: FunctionRegistry;
  private readonly store: InstanceStore;
  private readonly writer: OrderedStoreWriter;
  protected readonly records = new Map<string, InstanceRecord>();
  private readonly runnable = new Set<string>();
  private readonly activities: WorkPool<ActivityWork>;
  protected readonly timers: TimerQueue;
  private pumping = false;
  private halted = false;
  protected fault: unknown;
  private idleWaiters: Array<() => void> = [];

  constructor(protected readonly options: DurableEngineOptions) {
    this.activities = new WorkPool(
      options.maxConcurrentActivities ?? Number.POSITIVE_INFINITY,
      (work) => this.executeActivity(work),
      (error) => {
        if (error !== undefined) this.fault ??= error;
        this.notifyIdle();
      },
    );
    this.registry = options.registry;
    this.clock = options.clock;
    this.store = options.store ?? new InMemoryInstanceStore();
    this.writer = new OrderedStoreWriter(this.store, (error) => {
      this.fault ??= error;
    });
    this.timers = new TimerQueue(this.clock, (timer) => this.fireTimer(timer));
  }

  /** Starts an orchestration (or restarts a finished instance id) and returns its instance id. */
  async start(name: string, input?: unknown, options: { instanceId?: string } = {}): Promise<string> {
    if (!this.registry.find(name, 'orchestrationTrigger')) {
      throw new DurableEngineError(
        'DURABLE_FUNCTION_NOT_FOUND',
        `No orchestrator function named '${name}' is registered.`,
        { details: { name } },
      );
    }
    const instanceId = options.instanceId ?? newId();
    if (!instanceId || /[/\\#?]/.test(instanceId) || instanceId.startsWith('@')) {
      throw new DurableEngineError(
        'DURABLE_INSTANCE_ID_INVALID',
        `Instance id '${instanceId}' is not valid: it must be non-empty, must not contain / \\ # ? and must not start with @.`,
        { details: { instanceId } },
      );
    }
    const existing = this.records.get(instanceId);
    if (existing && !isTerminal(existing.runtimeStatus)) {
      throw new DurableEngineError(
        'DURABLE_INSTANCE_EXISTS',
        `An orchestration instance with the status ${existing.runtimeStatus} already exists: '${instanceId}'.`,
        { details: { instanceId, runtimeStatus: existing.runtimeStatus } },
      );
    }
    const record = newRecord(
      name,
      instanceId,
      input === undefined ? null : JSON.stringify(input),
      this.clock.now(),
    );
    this.records.set(instanceId, record);
    await this.writer.write(record);
    this.schedule(instanceId);
    return instanceId;
  }

  /** Delivers an external event; it waits in the history if nobody waits for it yet. */
  async raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void> {
    const record = this.runningRecord(instanceId);
    record.inbox.push(
      eventRaised(eventName, data === undefined ? undefined : JSON.stringify(data), this.clock.now()),
    );
    await this.writer.write(record);
    this.schedule(instanceId);
  }

  async terminate(instanceId: string, reason = ''): Promise<void> {
    const record = this.runningRecord(instanceId);
    record.inbox.push(executionTerminated(reason, this.clock.now()));
    await this.writer.write(record);
    this.schedule(instanceId);
  }

  getStatus(instanceId: string, options: { showHistory?: boolean } = {}): InstanceStatus | undefined {
    const record = this.records.get(instanceId);
    return record && toStatus(record, options.showHistory ?? false);
  }

  listInstances(): InstanceStatus[] {
    return [...this.records.values()].map((record) => toStatus(record, false));
  }

  history(instanceId: string): HistoryEvent[] {
    return structuredClone(this.requireRecord(instanceId).history);
  }

  /** The episodes of the current execution, each with the custom status it left. */
  episodes(instanceId: string): EpisodeRecord[] {
    return structuredClone(this.requireRecord(instanceId).episodes);
  }

  stats(instanceId: string): HistoryStats {
    return historyStats(this.requireRecord(instanceId));
  }

  /** Why the instance failed (error type, message, structured details), or null. */
  failure(instanceId: string): FailureInfo | null {
    return structuredClone(this.requireRecord(instanceId).failure);
  }

  /** A copy of everything kept for the instance (what the store holds). */
  record(instanceId: string): InstanceRecord {
    return structuredClone(this.requireRecord(instanceId));
  }

  /** Forgets an instance and deletes it from the store (its late activity results are dropped). */
  async purge(instanceId: string): Promise<boolean> {
    this.timers.disarmInstance(instanceId);
    this.records.delete(instanceId);
    return this.writer.delete(instanceId);
  }

  /**
   * Loads the instances of the store that this engine does not hold yet and picks up their work:
   * due messages, timers, and activities that had not reported (they run again, at least once).
   */
  async resume(): Promise<number> {
    let resumed = 0;
    for (const record of await this.store.list()) {
      if (this.records.has(record.instanceId)) continue;
      this.records.set(record.instanceId, record);
      if (isTerminal(record.runtimeStatus)) continue;
      resumed += 1;
      for (const timer of record.pendingTimers) {
        this.timers.arm({
          instanceId: record.instanceId,
          executionId: record.executionId,
          id: timer.id,
          fireAt: new Date(timer.fireAt),
        });
      }
      for (const activity of record.pendingActivities) {
        this.activities.add({ ...activity, instanceId: record.instanceId, executionId: record.executionId });
      }
      if (record.inbox.length > 0) this.schedule(record.instanceId);
    }
    return resumed;
  }

  /** Resolves once no episode is due, no activity runs and every write has reached the store. */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.fault) throw this.fault;
      if (this.isIdle()) {
        await this.writer.drained();
        await new Promise((resolve) => setImmediate(resolve));
        if (this.isIdle()) return;
      } else {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
    }
  }

  /** When the next timer fires, if one is armed. */
  nextTimerAt(): Date | undefined {
    return this.timers.next()?.fireAt;
  }

  /** Whether an activity of that name can run: registered by the app or replaced for a test. */
  isKnownActivity(name: string): boolean {
    return (
      this.options.activities?.[name] !== undefined ||
      this.registry.find(name, 'activityTrigger') !== undefined
    );
  }

  close(): void {
    this.timers.close();
  }

  /**
   * Stops the engine as a dying process stops: no episode runs any more, no queued activity
   * starts, and what an activity already running returns is dropped. Its side effects, like a
   * request already sent, still happen; a new engine on the same store runs it again.
   */
  halt(): void {
    this.halted = true;
    this.close();
    this.runnable.clear();
    this.notifyIdle();
  }

  private runningRecord(instanceId: string): InstanceRecord {
    const record = this.requireRecord(instanceId);
    if (isTerminal(record.runtimeStatus)) {
      throw new DurableEngineError(
        'DURABLE_INSTANCE_COMPLETED',
        `Instance '${instanceId}' is ${record.runtimeStatus}; it takes no more events.`,
        { details: { instanceId, runtimeStatus: record.runtimeStatus } },
      );
    }
    return record;
  }

  protected requireRecord(instanceId: string): InstanceRecord {
    const record = this.records.get(instanceId);
    if (!record) {
      throw new DurableEngineError(
        'DURABLE_INSTANCE_NOT_FOUND',
        `No orchestration instance '${instanceId}'.`,
        { details: { instanceId } },
      );
    }
    return record;
  }

  private schedule(instanceId: string): void {
    if (this.halted) return;
    this.runnable.add(instanceId);
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      for (let next = first(this.runnable); next !== undefined; next = first(this.runnable)) {
        if (this.halted) return;
        this.runnable.delete(next);
        await this.runEpisodeOf(next);
      }
    } catch (error) {
      this.fault = error;
    } finally {
      this.pumping = false;
      this.notifyIdle();
    }
  }

  private async runEpisodeOf(instanceId: string): Promise<void> {
    const record = this.records.get(instanceId);
    if (!record || record.inbox.length === 0) return;
    const executionId = record.executionId;
    const effects = await runEpisode(record, {
      registry: this.registry,
      now: this.clock.now(),
      isKnownActivity: (name) => this.isKnownActivity(name),
      newExecutionId: newId,
    });
    if (effects.executionEnded) {
      this.timers.disarmInstance(instanceId, executionId);
    } else {
      for (const id of effects.canceledTimerIds) this.timers.disarm(instanceId, executionId, id);
      for (const timer of effects.timers) {
        this.timers.arm({ instanceId, executionId, id: timer.id, fireAt: new Date(timer.fireAt) });
      }
      for (const activity of effects.activities)
        this.activities.add({ ...activity, instanceId, executionId });
    }
    void this.writer.write(record);
    if (effects.episode) {
      this.options.onEpisode?.({
        instanceId,
        runtimeStatus: record.runtimeStatus,
        customStatus: effects.episode.customStatus === null ? null : JSON.parse(effects.episode.customStatus),
        episode: effects.episode,
      });
    }
    if (record.inbox.length > 0) this.runnable.add(instanceId);
  }

  private async executeActivity(work: ActivityWork): Promise<void> {
    if (this.halted) return;
    const result = await invokeActivity(this.registry, {
      name: work.name,
      input: work.input,
      replacement: this.options.activities?.[work.name],
    });
    if (this.halted) return;
    const record = this.records.get(work.instanceId);
    if (!record || record.executionId !== work.executionId) return;
    const index = record.pendingActivities.findIndex((pending) => pending.id === work.id);
    if (index < 0) return;
    record.pendingActivities.splice(index, 1);
    record.inbox.push(taskOutcome(work.id, result, this.clock.now()));
    void this.writer.write(record);
    this.schedule(work.instanceId);
  }

  protected fireTimer(timer: ArmedTimer): void {
    const record = this.records.get(timer.instanceId);
    if (!record || record.executionId !== timer.executionId) return;
    const index = record.pendingTimers.findIndex((pending) => pending.id === timer.id);
    if (index < 0) return;
    const [pending] = record.pendingTimers.splice(index, 1);
    record.inbox.push(timerFired(timer.id, pending!.fireAt, this.clock.now()));
    void this.writer.write(record);
    this.schedule(timer.instanceId);
  }

  private isIdle(): boolean {
    return this.runnable.size === 0 && !this.pumping && !this.activities.busy;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function first<T>(set: Set<T>): T | undefined {
  return set.values().next().value;
}
