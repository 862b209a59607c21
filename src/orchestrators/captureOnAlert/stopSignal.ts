import type { DurableOrchestrationContext, Task } from 'durable-functions';
import { STOP_CAPTURE_EVENT, type StopCaptureEvent } from '../names';

/**
 * The run's one waiter for the StopCapture event. Every wait of the run races this same task:
 * the SDK hands a raised event to a waiter it has seen, so a fresh waiter per wait would let an
 * event raised between two waits (say, during a status check) land on an abandoned waiter and be
 * lost. An event raised before the first wait is kept by the SDK and completes the task then.
 */
export class StopSignal {
  private waiter: Task | undefined;

  constructor(private readonly df: DurableOrchestrationContext) {}

  /** The task to race in `Task.any`; created on first use so that no wait is scheduled before. */
  get task(): Task {
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
