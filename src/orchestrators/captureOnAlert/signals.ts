import type { DurableOrchestrationContext, Task } from 'durable-functions';
import type { CaptureRequest } from '../../capture/types';
import { ALERT_FIRED_EVENT, STOP_CAPTURE_EVENT, type StopCaptureEvent } from '../contract';

/** What ended a wait: its timer, a StopCapture event or an AlertFired event. */
export type WokenBy = 'timer' | 'stop' | 'alert';

/** The events a wait listens for besides its timer. */
export interface Listen {
  stop: boolean;
  alert: boolean;
}

/**
 * The run's external events, StopCapture and AlertFired, each with one waiter at a time: the stop
 * waiter lives for the whole run, an alert waiter until its event is taken (the SDK hands held
 * events to waiters in order).
 *
 * Every wait races a durable timer with the waiters and first looks whether a waiter has already
 * completed: in durable-functions 3.5, a `Task.any` built with a task that completed earlier never
 * completes (the SDK only tells a task's completion to the parent it had when it completed), so an
 * event that arrived between two waits (during a status check, say) would be missed. An event the
 * SDK holds completes its waiter only once the waiter is yielded, so a look "now" waits on a timer
 * due at once, which such an event beats. The timer is canceled when an event wins, so that
 * nothing keeps the run open.
 */
export class RunSignals {
  private stopWaiter: Task | undefined;
  private alertWaiter: Task | undefined;

  constructor(private readonly df: DurableOrchestrationContext) {}

  /** Sleeps until `until` unless a listened-for event comes first (or came already). */
  *sleep(until: Date, listen: Listen): Generator<Task, WokenBy, unknown> {
    if (listen.stop && this.stopArrived) return 'stop';
    if (listen.alert && this.alertArrived) return 'alert';
    const timer = this.df.createTimer(until);
    const stop = listen.stop ? this.stopTask() : undefined;
    const waiters = [timer, ...(stop ? [stop] : []), ...(listen.alert ? [this.alertTask()] : [])];
    const winner: unknown = yield this.df.Task.any(waiters);
    if (winner === timer) return 'timer';
    timer.cancel();
    return winner === stop ? 'stop' : 'alert';
  }

  /** Whether a stop has been requested by now (an event held by the SDK counts). */
  *stopRequestedBy(now: Date): Generator<Task, boolean, unknown> {
    return (yield* this.sleep(now, { stop: true, alert: false })) === 'stop';
  }

  /** The stop request, once the event has arrived and a wait has seen it. */
  get stopRequest(): StopCaptureEvent | undefined {
    return this.stopArrived ? toStopRequest(this.stopWaiter!.result) : undefined;
  }

  /** The request of the AlertFired event that arrived, if one did; the next event gets a new waiter. */
  takeAlert(): CaptureRequest | undefined {
    if (!this.alertArrived) return undefined;
    const payload: unknown = this.alertWaiter!.result;
    this.alertWaiter = undefined;
    return toRequest(payload);
  }

  /** Every AlertFired event held by now. */
  *drainAlerts(now: Date): Generator<Task, CaptureRequest[], unknown> {
    const requests: CaptureRequest[] = [];
    while (this.alertArrived || (yield* this.sleep(now, { stop: false, alert: true })) === 'alert') {
      const request = this.takeAlert();
      if (request) requests.push(request);
    }
    return requests;
  }

  private get stopArrived(): boolean {
    return this.stopWaiter?.isCompleted ?? false;
  }

  private get alertArrived(): boolean {
    return this.alertWaiter?.isCompleted ?? false;
  }

  private stopTask(): Task {
    this.stopWaiter ??= this.df.waitForExternalEvent(STOP_CAPTURE_EVENT);
    return this.stopWaiter;
  }

  private alertTask(): Task {
    this.alertWaiter ??= this.df.waitForExternalEvent(ALERT_FIRED_EVENT);
    return this.alertWaiter;
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

/** Only a payload shaped like the webhook's request is kept; the activities validate the values. */
function toRequest(payload: unknown): CaptureRequest | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const request = payload as Partial<CaptureRequest>;
  if (typeof request.vmId !== 'string' || typeof request.alert !== 'object' || request.alert === null) {
    return undefined;
  }
  return request as CaptureRequest;
}
