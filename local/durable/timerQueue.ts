import type { Clock } from './clock';

export interface ArmedTimer {
  instanceId: string;
  executionId: string;
  id: number;
  fireAt: Date;
}

// setTimeout fires at once for delays above 2^31-1 ms, so long waits are taken in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Durable timers waiting to fire. With a real clock each one has a timeout that calls `onDue`;
 * with a virtual clock they wait until the host takes the due ones after advancing the clock.
 */
export class TimerQueue {
  private readonly armed = new Map<string, { timer: ArmedTimer; handle?: NodeJS.Timeout }>();

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (timer: ArmedTimer) => void,
  ) {}

  arm(timer: ArmedTimer): void {
    const key = keyOf(timer.instanceId, timer.executionId, timer.id);
    const entry: { timer: ArmedTimer; handle?: NodeJS.Timeout } = { timer };
    this.armed.set(key, entry);
    const wait = (): void => {
      const delay = this.clock.realDelayUntil(timer.fireAt);
      if (delay === undefined) return;
      entry.handle = setTimeout(
        () => {
          if (delay > MAX_TIMEOUT_MS) return wait();
          this.armed.delete(key);
          this.onDue(timer);
        },
        Math.min(delay, MAX_TIMEOUT_MS),
      );
    };
    wait();
  }

  disarm(instanceId: string, executionId: string, id: number): void {
    const key = keyOf(instanceId, executionId, id);
    clearTimeout(this.armed.get(key)?.handle);
    this.armed.delete(key);
  }

  /** Drops every timer of an instance, or of one of its executions. */
  disarmInstance(instanceId: string, executionId?: string): void {
    for (const [key, { timer, handle }] of this.armed) {
      if (
        timer.instanceId === instanceId &&
        (executionId === undefined || timer.executionId === executionId)
      ) {
        clearTimeout(handle);
        this.armed.delete(key);
      }
    }
  }

  /** The timer that fires first, if any. */
  next(): ArmedTimer | undefined {
    let first: ArmedTimer | undefined;
    for (const { timer } of this.armed.values()) {
      if (!first || timer.fireAt < first.fireAt) first = timer;
    }
    return first;
  }

  /** Removes and returns the timers due at `now`, earliest first. */
  takeDue(now: Date): ArmedTimer[] {
    const due = [...this.armed.entries()].filter(([, { timer }]) => timer.fireAt <= now);
    for (const [key] of due) this.armed.delete(key);
    return due
      .map(([, { timer }]) => timer)
      .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.id - b.id);
  }

  close(): void {
    for (const { handle } of this.armed.values()) clearTimeout(handle);
    this.armed.clear();
  }
}

function keyOf(instanceId: string, executionId: string, id: number): string {
  return `${instanceId}\u0000${executionId}\u0000${id}`;
}
