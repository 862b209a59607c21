import { syntheticTraffic, type SyntheticFrame } from '../traffic';
import { CaptureRecorder } from './captureRecorder';
import type { FlowLike } from './filters';
import type { CaptureFormat, CaptureStatus } from './types';

/** Everything a session needs to know at creation; faults are decided then too. */
export interface SessionPlan {
  /** Emulated time the agent starts capturing; null when it never does (a stuck session). */
  startAtMs: number | null;
  timeLimitSeconds: number;
  totalBytesLimit: number;
  snapLength: number;
  format: CaptureFormat;
  localIp: string;
  packetsPerSecond: number;
  seed: number;
  accept: (flow: FlowLike) => boolean;
  /** The agent dies this many emulated seconds after the start. */
  agentStopsAfterSeconds?: number;
  tempPath: string;
}

/** The stop reason when the byte limit ends a session (the service documents only TimeExceeded). */
export const BYTES_EXCEEDED = 'BytesExceeded';

/**
 * One capture on the emulator's clock: NotStarted → Running → Stopped (time limit, byte limit, stop)
 * or Error. Traffic is generated and written only up to the time asked for, so the byte limit ends
 * the session exactly when the traffic rate makes the file reach it.
 */
export class CaptureSession {
  status: CaptureStatus = 'NotStarted';
  stopReason = '';
  errors: string[] = [];
  startedAtMs?: number;
  endedAtMs?: number;
  recorder?: CaptureRecorder;
  private frames?: Iterator<SyntheticFrame>;
  private next?: SyntheticFrame;

  constructor(readonly plan: SessionPlan) {}

  get ended(): boolean {
    return this.endedAtMs !== undefined;
  }

  advanceTo(nowMs: number): void {
    const { startAtMs, timeLimitSeconds, agentStopsAfterSeconds } = this.plan;
    if (this.ended || startAtMs === null || nowMs < startAtMs) return;
    if (this.status === 'NotStarted') this.begin(startAtMs);
    const limitAt = startAtMs + timeLimitSeconds * 1000;
    const agentStopsAt =
      agentStopsAfterSeconds === undefined ? Infinity : startAtMs + agentStopsAfterSeconds * 1000;
    const fullAt = this.record(Math.min(nowMs, limitAt, agentStopsAt));
    if (fullAt !== undefined) this.end('Stopped', BYTES_EXCEEDED, fullAt);
    else if (agentStopsAt <= nowMs && agentStopsAt < limitAt)
      this.end('Error', '', agentStopsAt, ['AgentStopped']);
    else if (limitAt <= nowMs) this.end('Stopped', 'TimeExceeded', limitAt);
  }

  /** Ends the session at `nowMs` (a stop or a delete); a session that has ended stays as it is. */
  stop(nowMs: number, reason: string): void {
    this.advanceTo(nowMs);
    if (!this.ended) this.end('Stopped', reason, nowMs);
  }

  /** Ends the session in Error with these service error values. */
  fail(errors: string[], atMs: number): void {
    if (!this.ended) this.end('Error', '', atMs, errors);
    else {
      this.status = 'Error';
      this.errors = errors;
    }
  }

  private begin(startAtMs: number): void {
    const {
      timeLimitSeconds,
      localIp,
      seed,
      packetsPerSecond,
      tempPath,
      format,
      snapLength,
      totalBytesLimit,
    } = this.plan;
    this.status = 'Running';
    this.startedAtMs = startAtMs;
    this.recorder = new CaptureRecorder(tempPath, { format, snapLength, byteLimit: totalBytesLimit });
    const traffic = syntheticTraffic({
      startTimeMs: startAtMs,
      durationSeconds: timeLimitSeconds,
      localIp,
      seed,
      packetsPerSecond,
    });
    this.frames = traffic[Symbol.iterator]();
    this.next = this.frames.next().value;
  }

  /** Writes the accepted frames up to `untilMs`; the time of the frame that hit the byte limit, if one did. */
  private record(untilMs: number): number | undefined {
    const until = BigInt(untilMs) * 1_000_000n;
    const recorder = this.recorder as CaptureRecorder;
    while (this.next && this.next.timestampNs <= until) {
      const frame = this.next;
      this.next = (this.frames as Iterator<SyntheticFrame>).next().value;
      if (this.plan.accept(frame.flow) && !recorder.append(frame)) {
        return Number(frame.timestampNs / 1_000_000n);
      }
    }
    return undefined;
  }

  private end(status: CaptureStatus, stopReason: string, atMs: number, errors: string[] = []): void {
    this.status = status;
    this.stopReason = stopReason;
    this.errors = errors;
    this.endedAtMs = atMs;
    this.recorder?.close();
    this.frames = undefined;
    this.next = undefined;
  }
}
