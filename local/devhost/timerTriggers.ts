import { randomUUID } from 'node:crypto';
import {
  invokeFunction,
  type FunctionRegistry,
  type RegisteredFunction,
  type RpcTypedData,
} from '../durable';
import { parseNcrontab, type CronSchedule } from './ncrontab';

/** Triggers the Durable engine serves itself; every other non-HTTP trigger is served here. */
const ENGINE_TRIGGERS = new Set(['httptrigger', 'orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

export interface TimerTriggerHostOptions {
  registry: FunctionRegistry;
  /** The durableClient binding data, for functions that ask for a Durable client. */
  durableClientData: () => unknown;
  log: (line: string) => void;
}

interface Scheduled {
  fn: RegisteredFunction;
  schedule: CronSchedule;
  last?: Date;
  timer?: NodeJS.Timeout;
}

/**
 * The app's non-HTTP functions as the Functions host runs them: timer triggers on their NCRONTAB
 * schedule (wall-clock time, UTC), `runOnStartup` ones at start, and any of them on demand
 * through the host's admin endpoint (`POST /admin/functions/{name}`, master key, answered 202 at
 * once: "Manually run a non HTTP-triggered function"). A timer gets the host's timer payload
 * (schedule status, past-due flag) and its Durable client binding when it asks for one.
 */
export class TimerTriggerHost {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: TimerTriggerHostOptions) {
    for (const fn of options.registry.list()) {
      if (fn.trigger.type.toLowerCase() !== 'timertrigger') continue;
      this.scheduled.set(fn.name.toLowerCase(), { fn, schedule: parseNcrontab(String(fn.trigger.schedule)) });
    }
  }

  /** The registered function of that name that this host runs (not HTTP, not Durable), if any. */
  find(name: string): RegisteredFunction | undefined {
    const fn =
      this.options.registry.get(name) ??
      this.options.registry.list().find((f) => f.name.toLowerCase() === name.toLowerCase());
    return fn && !ENGINE_TRIGGERS.has(fn.trigger.type.toLowerCase()) ? fn : undefined;
  }

  /** Starts every timer's schedule, and runs the `runOnStartup` ones now. */
  start(): void {
    for (const entry of this.scheduled.values()) {
      this.arm(entry);
      if (entry.fn.trigger.runOnStartup === true) void this.runLogged(entry.fn, 'startup');
    }
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.scheduled.values()) clearTimeout(entry.timer);
  }

  /** Runs the function now; resolves once it has returned (throws what it threw). */
  async run(fn: RegisteredFunction, input?: string): Promise<void> {
    const extraInputs: Record<string, RpcTypedData> = {};
    if (fn.durableClientBindingName) {
      extraInputs[fn.durableClientBindingName] = { string: JSON.stringify(this.options.durableClientData()) };
    }
    await invokeFunction(this.options.registry, fn, {
      triggerData: this.triggerData(fn, input),
      extraInputs,
      invocationId: randomUUID(),
    });
  }

  /** Runs it in the background, as the admin endpoint does, logging how it ended. */
  runLogged(fn: RegisteredFunction, why: string, input?: string): Promise<void> {
    const started = Date.now();
    const running = this.run(fn, input).then(
      () => this.options.log(`${fn.name} (${why}) ran in ${Date.now() - started} ms`),
      (error: unknown) =>
        this.options.log(
          `${fn.name} (${why}) failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  /** Resolves once the runs started in the background have ended. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private triggerData(fn: RegisteredFunction, input: string | undefined): RpcTypedData {
    if (fn.trigger.type.toLowerCase() !== 'timertrigger') return { string: input ?? '' };
    const entry = this.scheduled.get(fn.name.toLowerCase());
    const now = new Date();
    return {
      json: JSON.stringify({
        Schedule: { AdjustForDST: true },
        ScheduleStatus: {
          Last: (entry?.last ?? now).toISOString(),
          Next: entry ? entry.schedule.next(now).toISOString() : now.toISOString(),
          LastUpdated: now.toISOString(),
        },
        IsPastDue: false,
      }),
    };
  }

  private arm(entry: Scheduled): void {
    if (this.stopped) return;
    const now = new Date();
    const next = entry.schedule.next(now);
    // setTimeout holds at most 2^31-1 ms: a far occurrence is reached in steps.
    const delay = Math.min(next.getTime() - now.getTime(), 2 ** 31 - 1);
    entry.timer = setTimeout(() => {
      if (Date.now() < next.getTime()) return this.arm(entry);
      void this.runLogged(entry.fn, 'schedule').finally(() => {
        entry.last = next;
        this.arm(entry);
      });
    }, delay);
    entry.timer.unref();
  }
}
