import * as df from 'durable-functions';

/**
 * How every activity call of a run is retried. Only retriable failures reach this policy: the
 * activities return permanent ones as a result instead of throwing. Waits: 5, 10, 20, 40, 60 s
 * (about 2 min in all), long enough for a throttling or a short outage to pass. The retry
 * timeout option stays unset: when it expires the SDK waits forever (durable-functions-js#629).
 */
export const STEP_RETRY = {
  firstRetryIntervalMs: 5_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 60_000,
  maxAttempts: 6,
} as const;

export function stepRetryOptions(): df.RetryOptions {
  const options = new df.RetryOptions(STEP_RETRY.firstRetryIntervalMs, STEP_RETRY.maxAttempts);
  options.backoffCoefficient = STEP_RETRY.backoffCoefficient;
  options.maxRetryIntervalInMilliseconds = STEP_RETRY.maxRetryIntervalMs;
  return options;
}
