import { retryAfterMs } from '../azure/retryAfter';
import type { OutgoingMessage } from './genericWebhook';

export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff; doubles per attempt, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  timeoutMs: 10_000,
};

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last answer, if there was one. */
  status?: number;
  /** Why the last attempt failed (no URL in it). */
  error?: string;
  durationMs: number;
}

export interface DeliverOptions {
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * POSTs a message, retrying network errors, timeouts, 408, 429 and 5xx with exponential backoff
 * (a `Retry-After` is honoured up to `maxDelayMs`). Never throws: the outcome says what happened.
 */
export async function deliver(
  url: string,
  message: OutgoingMessage,
  options: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  const { policy = DEFAULT_RETRY_POLICY, sleep = sleepFor, now = Date.now } = options;
  const started = now();
  let last: Omit<DeliveryOutcome, 'attempts' | 'durationMs'> = { ok: false };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let wait: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: message.headers(Math.floor(now() / 1000)),
        body: message.body,
        signal: AbortSignal.timeout(policy.timeoutMs),
        redirect: 'error',
      });
      const text = await response.text().catch(() => '');
      if (response.ok)
        return { ok: true, attempts: attempt, status: response.status, durationMs: now() - started };
      last = {
        ok: false,
        status: response.status,
        error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      };
      if (!isRetriableStatus(response.status))
        return { ...last, attempts: attempt, durationMs: now() - started };
      wait = retryAfterMs(response.headers);
    } catch (error) {
      last = { ok: false, error: describe(error) };
    }
    if (attempt < policy.maxAttempts)
      await sleep(Math.min(policy.maxDelayMs, wait ?? backoff(policy, attempt)));
  }
  return { ...last, attempts: policy.maxAttempts, durationMs: now() - started };
}

function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Network errors without the URL (which may carry a token). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
