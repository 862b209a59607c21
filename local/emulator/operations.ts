import { randomUUID } from 'node:crypto';
import type { Provider } from './apiVersions';
import type { JsonAnswer } from './httpIo';

export interface OperationError {
  code: string;
  message: string;
}

export interface AsyncOperation {
  id: string;
  provider: Provider;
  subscriptionId: string;
  location: string;
  apiVersion: string;
  startedAtRealMs: number;
  readyAtRealMs: number;
  error?: OperationError;
  /** The answer of a Location poll once the operation is done. */
  result: () => JsonAnswer;
  /** Runs once, when the operation is first found done (a delete removes its resource then). */
  onDone?: () => void;
  finished: boolean;
}

export type NewOperation = Omit<AsyncOperation, 'id' | 'startedAtRealMs' | 'readyAtRealMs' | 'finished'>;

/**
 * ARM long-running operations in real time: in progress for `delayMs`, then done. Polled through
 * `Azure-AsyncOperation` (a status body) or `Location` (202 until done, then the result).
 */
export class Operations {
  private readonly byId = new Map<string, AsyncOperation>();

  constructor(private readonly realNow: () => number = Date.now) {}

  start(operation: NewOperation, delayMs: number): AsyncOperation {
    const now = this.realNow();
    const op: AsyncOperation = {
      ...operation,
      id: randomUUID(),
      startedAtRealMs: now,
      readyAtRealMs: now + delayMs,
      finished: false,
    };
    this.byId.set(op.id, op);
    if (delayMs === 0) this.finish(op);
    return op;
  }

  get(id: string): AsyncOperation | undefined {
    const op = this.byId.get(id.toLowerCase());
    if (op && !op.finished && this.realNow() >= op.readyAtRealMs) this.finish(op);
    return op;
  }

  /** Completes every operation whose time has come. */
  finishDue(): void {
    const now = this.realNow();
    for (const op of this.byId.values()) if (!op.finished && now >= op.readyAtRealMs) this.finish(op);
  }

  clear(): void {
    this.byId.clear();
  }

  /** The Azure-AsyncOperation URL, on the same host the client called. */
  statusUrl(base: string, op: AsyncOperation): string {
    return `${base}/subscriptions/${op.subscriptionId}/providers/${op.provider}/locations/${op.location}/operations/${op.id}?api-version=${op.apiVersion}`;
  }

  /** The Location URL of an operation's result. */
  resultUrl(base: string, op: AsyncOperation): string {
    return `${base}/subscriptions/${op.subscriptionId}/providers/${op.provider}/locations/${op.location}/operationResults/${op.id}?api-version=${op.apiVersion}`;
  }

  private finish(op: AsyncOperation): void {
    op.finished = true;
    op.onDone?.();
  }
}
