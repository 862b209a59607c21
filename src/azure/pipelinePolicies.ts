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

const CAPTURE_PUT =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkWatchers\/[^/]+)\/packetCaptures\/([^/]+)$/i;

/**
 * Tells `onLost` of every PUT of a packet capture whose answer never came (the connection broke,
 * the request timed out), each retry of the SDK's included: such a PUT may still be carried out
 * later, so the run's slot must know (see releaseCaptureSlot). A PUT answered, even with an
 * error, cannot land later. `onLost` failing does not hide the PUT's own failure.
 */
export function lostCapturePutPolicy(
  onLost: (watcherId: string, captureName: string) => Promise<void>,
): PipelinePolicy {
  return {
    name: 'lostCapturePutPolicy',
    async sendRequest(request, next) {
      const match = request.method === 'PUT' ? CAPTURE_PUT.exec(new URL(request.url).pathname) : null;
      try {
        return await next(request);
      } catch (error) {
        if (match) await onLost(match[1]!, decodeURIComponent(match[2]!)).catch(() => undefined);
        throw error;
      }
    },
  };
}
