import type { ClockOptions, ClockState } from './types';

/**
 * The emulator's notion of time, which drives capture sessions: wall-clock time (optionally sped
 * up), or a manual clock that moves only when told, so tests can jump over hours in one call.
 */
export class EmulatorClock {
  readonly mode: 'real' | 'manual';
  readonly factor: number;
  private readonly realStart: number;
  private readonly emulatedStart: number;
  private manualNow: number;

  constructor(
    options: ClockOptions,
    private readonly realNow: () => number = Date.now,
  ) {
    const factor = options.factor ?? 1;
    if (!(factor > 0 && factor <= 100_000))
      throw new RangeError(`clock factor must be in (0, 100000], got ${factor}`);
    const start = options.startTime === undefined ? realNow() : new Date(options.startTime).getTime();
    if (!Number.isFinite(start))
      throw new TypeError(`clock startTime is not a date: ${String(options.startTime)}`);
    this.mode = options.mode;
    this.factor = factor;
    this.realStart = realNow();
    this.emulatedStart = start;
    this.manualNow = start;
  }

  now(): number {
    if (this.mode === 'manual') return this.manualNow;
    return Math.floor(this.emulatedStart + (this.realNow() - this.realStart) * this.factor);
  }

  advance(ms: number): number {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
    return this.set(this.now() + ms);
  }

  /** Moves a manual clock to `ms`; time never goes backwards (sessions rely on it). */
  set(ms: number): number {
    if (this.mode !== 'manual') throw new TypeError('only a manual clock can be moved');
    if (!Number.isFinite(ms)) throw new RangeError(`clock time must be a number of ms, got ${ms}`);
    if (ms < this.manualNow) {
      throw new RangeError(`clock cannot go back from ${new Date(this.manualNow).toISOString()}`);
    }
    this.manualNow = Math.floor(ms);
    return this.manualNow;
  }

  state(): ClockState {
    const nowMs = this.now();
    return { mode: this.mode, factor: this.factor, nowMs, now: new Date(nowMs).toISOString() };
  }
}
