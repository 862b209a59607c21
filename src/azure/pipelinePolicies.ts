import type { NetworkManagementClientOptionalParams } from '@azure/arm-network';
import { retryAfterMs } from './retryAfter';

/** The SDK pipeline's policy type, taken from a client we already depend on. */
export type AdditionalPolicy = NonNullable<
  NetworkManagementClientOptionalParams['additionalPolicies']
>[number];
type PipelinePolicy = AdditionalPolicy['policy'];

/**
 * Thrown instead of waiting when a 429/503 asks for a longer pause than an activity should sleep.
 * It is not a RestError, so the SDK's retry policy passes it straight up and the orchestrator
 * schedules the retry with a durable timer instead.
 */
export class RetryAfterTooLongError extends Error {
  override name = 'RetryAfterTooLongError';
  readonly retryAfterMs: number;
  readonly status: number;

  constructor(status: number, waitMs: number) {
    super(`the service answered ${status} and asked to wait ${Math.ceil(waitMs / 1000)} s`);
    this.status = status;
    this.retryAfterMs = waitMs;
  }
}

/**
 * Runs once per attempt, inside the SDK's retry loop: lets the SDK honour short `Retry-After`
 * waits itself and turns longer ones into `RetryAfterTooLongError`, so the time an activity
 * spends sleeping stays bounded (at most the SDK's retry count times `maxWaitMs`).
 */
export function boundedRetryAfterPolicy(maxWaitMs: number): PipelinePolicy {
  return {
    name: 'boundedRetryAfterPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        const wait = retryAfterMs(response.headers);
        if (wait !== undefined && wait > maxWaitMs) throw new RetryAfterTooLongError(response.status, wait);
      }
      return response;
    },
  };
}

/** Gives every request a deadline, so that a service that never answers fails the attempt. */
export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'requestTimeoutPolicy',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}
