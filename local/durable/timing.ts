import type { RetryOptionsJson } from './orchestratorState';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Azure Storage provider limits: the longest single durable timer, and the step of a long timer chain. */
export const MAXIMUM_SHORT_TIMER_MS = 6 * DAY_MS;
export const LONG_TIMER_INTERVAL_MS = 3 * DAY_MS;

/** The same limits as the .NET TimeSpan strings the extension sends to the SDK. */
export const MAXIMUM_SHORT_TIMER_TIMESPAN = '6.00:00:00';
export const LONG_TIMER_INTERVAL_TIMESPAN = '3.00:00:00';

/** The extension's default `maxRetryInterval` when the SDK sends none. */
export const DEFAULT_MAX_RETRY_INTERVAL_MS = 6 * DAY_MS;

/**
 * Delay before the next attempt of an activity called with retry, as DTFx `RetryInterceptor`
 * computes it after the failure of attempt `retryCount` (0-based): first interval times
 * coefficient^retryCount, capped at the max retry interval. 0 means "stop retrying", which DTFx
 * answers only once the retry timeout has passed.
 */
export function nextRetryDelayMs(
  options: RetryOptionsJson,
  retryCount: number,
  firstAttemptAt: Date,
  now: Date,
): number {
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout !== undefined && now.getTime() >= firstAttemptAt.getTime() + timeout) return 0;
  const delay = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** retryCount;
  return Math.min(delay, options.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS);
}
