/** Where the engine takes the time of episodes, events and timers. */
export interface Clock {
  now(): Date;
  /**
   * Real milliseconds until the clock shows `time`, or undefined when the clock only moves when told
   * to (a virtual clock: timers then fire as the host advances it).
   */
  realDelayUntil(time: Date): number | undefined;
}

/** Test time: stands still until advanced, so hours of durable timers pass in milliseconds. */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date('2025-01-01T00:00:00.000Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  realDelayUntil(): undefined {
    return undefined;
  }

  advanceTo(time: Date): void {
    if (time.getTime() < this.current) {
      throw new RangeError(
        `A virtual clock only moves forward (now ${this.now().toISOString()}, asked ${time.toISOString()}).`,
      );
    }
    this.current = time.getTime();
  }
}

export interface RealClockOptions {
  /** How many times faster than real time the clock runs (a dev host can shorten long captures). */
  speedUp?: number;
  /** What the clock shows now; defaults to the real time. */
  start?: Date;
}

/** Wall-clock time, optionally running faster: timers fire on real timeouts. */
export class RealClock implements Clock {
  private readonly speedUp: number;
  private readonly startClock: number;
  private readonly startReal = Date.now();

  constructor(options: RealClockOptions = {}) {
    const speedUp = options.speedUp ?? 1;
    if (!(speedUp > 0) || !Number.isFinite(speedUp)) {
      throw new RangeError(`speedUp must be a positive number, got ${speedUp}.`);
    }
    this.speedUp = speedUp;
    this.startClock = (options.start ?? new Date()).getTime();
  }

  now(): Date {
    return new Date(this.startClock + (Date.now() - this.startReal) * this.speedUp);
  }

  realDelayUntil(time: Date): number {
    return Math.max(0, (time.getTime() - this.now().getTime()) / this.speedUp);
  }
}
