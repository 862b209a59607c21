/**
 * A completion with synchronous continuations. DTFx replays an orchestration on a synchronous task
 * scheduler: when a history event completes a task, everything awaiting it runs at once, before the
 * next event is applied (which is what fixes the order of sequence numbers). Promises cannot model
 * that without yielding to the event loop, so the replay uses this instead.
 */

export type Outcome<T> =
  { status: 'completed'; value: T } | { status: 'failed'; error: unknown } | { status: 'canceled' };

export class SyncTask<T = unknown> {
  private outcome: Outcome<T> | undefined;
  private readonly continuations: Array<(outcome: Outcome<T>) => void> = [];

  /** Settles the task once; later calls are ignored and return false. */
  settle(outcome: Outcome<T>): boolean {
    if (this.outcome) return false;
    this.outcome = outcome;
    for (const continuation of this.continuations.splice(0)) continuation(outcome);
    return true;
  }

  complete(value: T): boolean {
    return this.settle({ status: 'completed', value });
  }

  fail(error: unknown): boolean {
    return this.settle({ status: 'failed', error });
  }

  cancel(): boolean {
    return this.settle({ status: 'canceled' });
  }

  /** Runs `continuation` when the task settles (immediately when it already has). */
  whenDone(continuation: (outcome: Outcome<T>) => void): void {
    if (this.outcome) continuation(this.outcome);
    else this.continuations.push(continuation);
  }

  static completed<T>(value: T): SyncTask<T> {
    const task = new SyncTask<T>();
    task.complete(value);
    return task;
  }

  /** Settles when every task has settled, like .NET `Task.WhenAll` (it waits for all, even after a failure). */
  static whenAll(tasks: SyncTask[]): SyncTask {
    const all = new SyncTask();
    let remaining = tasks.length;
    if (remaining === 0) all.complete(undefined);
    for (const task of tasks) {
      task.whenDone(() => {
        remaining -= 1;
        if (remaining === 0) all.complete(undefined);
      });
    }
    return all;
  }

  /** Settles when the first task settles, whatever its outcome (.NET `Task.WhenAny`). */
  static whenAny(tasks: SyncTask[]): SyncTask {
    const any = new SyncTask();
    for (const task of tasks) task.whenDone(() => any.complete(undefined));
    return any;
  }
}
