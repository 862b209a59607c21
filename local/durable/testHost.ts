import type { ActivityHandler } from './activityRunner';
import { RealClock, VirtualClock } from './clock';
import { DurableEngine, type DurableEngineOptions } from './engine';
import { DurableEngineError } from './DurableEngineError';
import { installFunctionsCore, loadApp, type FunctionRegistry } from './functionsCore';
import { isTerminal, type InstanceStatus } from './instanceRecords';
import { replayEveryPrefix, type PrefixReplayReport } from './replayEveryPrefix';

export interface TestHostOptions {
  /** App entry to load (for example `src/index.ts`); without it, the functions already registered. */
  entry?: string;
  /** Per-name replacements for activities. */
  activities?: Record<string, ActivityHandler>;
  /** 'virtual' (default): time moves only when the test advances it. */
  clock?: 'virtual' | { realTime: true; speedUp?: number };
  /** Where the clock starts. */
  startTime?: Date;
  /** Called (and awaited) each time the virtual clock moves, before the timers due then fire. */
  onClockAdvance?: (time: Date) => void | Promise<void>;
  onEpisode?: DurableEngineOptions['onEpisode'];
  maxConcurrentActivities?: number;
  store?: DurableEngineOptions['store'];
}

/**
 * Creates a Durable engine for tests over the app's own registrations. With the virtual clock,
 * durable timers fire as the test advances time, so hours of timers take milliseconds.
 */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const registry = options.entry ? await loadApp(options.entry) : installFunctionsCore();
  return new TestHost(registry, options);
}

export class TestHost extends DurableEngine {
  constructor(
    registry: FunctionRegistry,
    private readonly hostOptions: TestHostOptions = {},
  ) {
    const clock =
      hostOptions.clock === undefined || hostOptions.clock === 'virtual'
        ? new VirtualClock(hostOptions.startTime)
        : new RealClock({ speedUp: hostOptions.clock.speedUp, start: hostOptions.startTime });
    super({
      registry,
      clock,
      store: hostOptions.store,
      activities: hostOptions.activities,
      maxConcurrentActivities: hostOptions.maxConcurrentActivities,
      onEpisode: hostOptions.onEpisode,
    });
  }

  now(): Date {
    return this.clock.now();
  }

  /** Runs every episode and activity that is due now, without moving the clock. */
  runUntilIdle(): Promise<void> {
    return this.whenIdle();
  }

  /** Virtual clock: fires every timer due within `ms` from now, in order, then stops at now + ms. */
  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.now().getTime() + ms));
  }

  /** Virtual clock: fires every timer due up to `time`, in order, then stops at `time`. */
  async advanceTo(time: Date): Promise<void> {
    await this.advanceWhile((next) => next <= time);
    if (time > this.now()) await this.moveClock(time);
  }

  /**
   * Virtual clock: runs until `done()` holds, moving the clock to each next timer as needed.
   * Throws DURABLE_INSTANCE_STUCK when nothing left (before `until`) could make it hold.
   */
  async advanceUntil(done: () => boolean, options: { until?: Date } = {}): Promise<void> {
    const held = await this.advanceWhile((next) => !options.until || next <= options.until, done);
    if (!held) {
      const running = this.listInstances().filter((status) => !isTerminal(status.runtimeStatus));
      throw new DurableEngineError(
        'DURABLE_INSTANCE_STUCK',
        `Nothing is left to run${options.until ? ` before ${options.until.toISOString()}` : ''} and the condition ` +
          `does not hold; running instances: ${running.map((s) => `${s.instanceId} (${s.runtimeStatus})`).join(', ') || 'none'}.`,
        { details: { now: this.now().toISOString(), running: running.map((status) => status.instanceId) } },
      );
    }
  }

  /** Runs an instance until it completes, fails or is terminated (virtual: advancing time; real: waiting). */
  async runToCompletion(
    instanceId: string,
    options: { until?: Date; timeoutMs?: number } = {},
  ): Promise<InstanceStatus> {
    const done = (): boolean => isTerminal(this.requireRecord(instanceId).runtimeStatus);
    if (this.clock instanceof VirtualClock) await this.advanceUntil(done, options);
    else await this.waitUntil(done, options.timeoutMs ?? 60_000);
    return this.getStatus(instanceId)!;
  }

  /** See {@link replayEveryPrefix}. */
  replayEveryPrefix(instanceId: string): Promise<PrefixReplayReport> {
    return replayEveryPrefix(this, instanceId);
  }

  private async advanceWhile(continueTo: (next: Date) => boolean, done?: () => boolean): Promise<boolean> {
    this.virtualClock();
    await this.whenIdle();
    for (;;) {
      if (done?.()) return true;
      const next = this.timers.next();
      if (!next || !continueTo(next.fireAt)) return false;
      if (next.fireAt > this.now()) await this.moveClock(next.fireAt);
      for (const timer of this.timers.takeDue(this.now())) this.fireTimer(timer);
      await this.whenIdle();
    }
  }

  private async moveClock(time: Date): Promise<void> {
    this.virtualClock().advanceTo(time);
    await this.hostOptions.onClockAdvance?.(time);
  }

  private virtualClock(): VirtualClock {
    if (!(this.clock instanceof VirtualClock)) {
      throw new TypeError(
        'Advancing time needs the virtual clock; with a real clock timers fire on their own.',
      );
    }
    return this.clock;
  }

  private async waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.fault) throw this.fault;
      if (Date.now() > deadline) {
        throw new DurableEngineError(
          'DURABLE_INSTANCE_STUCK',
          `The instance did not finish within ${timeoutMs} ms.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
