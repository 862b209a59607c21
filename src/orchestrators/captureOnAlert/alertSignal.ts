import type { DurableOrchestrationContext, Task } from 'durable-functions';
import type { CaptureRequest } from '../../capture/types';
import { ALERT_FIRED_EVENT } from '../names';

/**
 * The AlertFired events of a run: one waiter at a time, a new one after each event is taken (the
 * SDK hands held events to waiters in order). Like the StopCapture waiter, a completed one must
 * not be raced again (a Task.any with a completed task never completes in durable-functions 3.5),
 * so a wait checks `arrived` first.
 */
export class AlertSignal {
  private waiter: Task | undefined;

  constructor(private readonly df: DurableOrchestrationContext) {}

  get arrived(): boolean {
    return this.waiter?.isCompleted ?? false;
  }

  task(): Task {
    this.waiter ??= this.df.waitForExternalEvent(ALERT_FIRED_EVENT);
    return this.waiter;
  }

  /** The request of the event that arrived, if one did; the next event needs a new waiter. */
  take(): CaptureRequest | undefined {
    if (!this.arrived) return undefined;
    const payload: unknown = this.waiter!.result;
    this.waiter = undefined;
    return toRequest(payload);
  }

  /**
   * Every event held so far. A held event completes a waiter only once it is yielded, so each look
   * races the waiter with a timer due at `now`, which a held event beats.
   */
  *drain(now: Date): Generator<Task, CaptureRequest[], unknown> {
    const requests: CaptureRequest[] = [];
    for (;;) {
      if (!this.arrived) {
        const timer = this.df.createTimer(now);
        const winner: unknown = yield this.df.Task.any([timer, this.task()]);
        if (winner === timer) return requests;
        timer.cancel();
      }
      const request = this.take();
      if (request) requests.push(request);
    }
  }
}

/** Only a payload shaped like the webhook's request is kept; the activities validate the values. */
function toRequest(payload: unknown): CaptureRequest | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const request = payload as Partial<CaptureRequest>;
  if (typeof request.vmId !== 'string' || typeof request.alert !== 'object' || request.alert === null) {
    return undefined;
  }
  return request as CaptureRequest;
}
