import type { DurableOrchestrationContext, Task } from 'durable-functions';
import { STOP_CAPTURE_EVENT, type StopCaptureEvent } from '../names';

/**
 * The run's one waiter for the StopCapture event, created at its first wait and raced by every
 * later one. An event that arrives while no wait is in progress (during a status check, say)
 * completes the waiter, but in durable-functions 3.5 a new `Task.any` built with a task that has
 * already completed never completes: so each wait first looks whether the waiter has. An event
 * raised before the first wait is kept by the SDK and completes the waiter when it is awaited.
 */
export class StopSignal {
  private waiter: Task | undefined;

  constructor(private readonly df: DurableOrchestrationContext) {}

  /**
   * Sleeps until `until` unless a stop is requested first (or was already): true when stopped.
   * The timer is canceled when the event wins, so that nothing keeps the run open.
   */
  *sleepUnlessStopped(until: Date): Generator<Task, boolean, unknown> {
    // An event that completed the waiter between two waits would not complete a new Task.any:
    // the SDK only propagates a completion to the parent the task had when it completed.
    if (this.arrived) return true;
    const timer = this.df.createTimer(until);
    const winner: unknown = yield this.df.Task.any([timer, this.task()]);
    if (winner === timer) return false;
    timer.cancel();
    return true;
  }

  /**
   * Whether a stop has been requested already. An event the SDK holds completes the waiter only
   * once the waiter is yielded, so this waits on a timer due at `now`, which such an event beats.
   */
  *requestedBy(now: Date): Generator<Task, boolean, unknown> {
    return yield* this.sleepUnlessStopped(now);
  }

  /** The event has arrived and a wait has seen it: a new wait must not race the waiter again. */
  get arrived(): boolean {
    return this.waiter?.isCompleted ?? false;
  }

  /** The one waiter, for a wait that races it with other tasks (check `arrived` first). */
  task(): Task {
    this.waiter ??= this.df.waitForExternalEvent(STOP_CAPTURE_EVENT);
    return this.waiter;
  }

  /** The stop request, once the event has arrived and a wait has seen it. */
  get request(): StopCaptureEvent | undefined {
    if (!this.waiter?.isCompleted) return undefined;
    return toStopRequest(this.waiter.result);
  }
}

/** The event's payload as the run keeps it: only the known fields, as text, never trusted further. */
function toStopRequest(payload: unknown): StopCaptureEvent {
  if (typeof payload !== 'object' || payload === null) return {};
  const { reason, requestedBy } = payload as Record<string, unknown>;
  return {
    ...(typeof reason === 'string' && reason && { reason: reason.slice(0, 500) }),
    ...(typeof requestedBy === 'string' && requestedBy && { requestedBy: requestedBy.slice(0, 100) }),
  };
}
