import { AppError } from '../errors/AppError';
import type { ErrorCode } from '../errors/catalog';
import { RetryAfterTooLongError } from './pipelinePolicies';
import { isNetworkErrorCode } from './networkErrors';
import { retryAfterMs } from './retryAfter';

/** What was being done, so that the error can say it. */
export interface ArmOperation {
  /** Verb phrase: "read virtual machine", "create packet capture". */
  operation: string;
  resourceId: string;
  /** How to report a 404 (default: the request was rejected). */
  notFound?: { code: ErrorCode; message: string };
  /** How to report a long-running operation that ended in Failed. */
  failed?: { code: ErrorCode; message: string };
}

interface RestErrorLike extends Error {
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

const LRO_FAILED = 'The long-running operation has failed';
function isRestError(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError';
}

/** True when the SDK error is an HTTP 404 (the resource does not exist). */
export function isArmNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
}

/** The HTTP status of an SDK error, if it has one. */
export function armStatus(error: unknown): number | undefined {
  return isRestError(error) ? error.statusCode : undefined;
}

/**
 * Classifies an Azure SDK failure: throttling, 5xx, timeouts and connection errors are
 * retriable (with the service's `Retry-After` when it gave one); 4xx are permanent and the
 * message says what to fix. An AppError passes through unchanged.
 */
export function toArmError(error: unknown, op: ArmOperation): AppError {
  if (error instanceof AppError) return error;
  const where = `${op.operation} (${op.resourceId})`;
  const base = { operation: op.operation, resourceId: op.resourceId };

  if (error instanceof RetryAfterTooLongError) {
    const code = error.status === 429 ? 'ARM_THROTTLED' : 'ARM_UNAVAILABLE';
    return new AppError(
      code,
      `Azure answered ${error.status} to ${where}; retry after ${seconds(error.retryAfterMs)} s.`,
      {
        details: { ...base, status: error.status, retryAfterMs: error.retryAfterMs },
        cause: error,
      },
    );
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new AppError(
      'ARM_UNAVAILABLE',
      `Azure did not answer ${where} in time; the step will be retried.`,
      {
        details: { ...base, reason: 'timeout' },
        cause: error,
      },
    );
  }
  if (isRestError(error)) return fromRestError(error, op, where, base);
  if (error instanceof Error && error.message.startsWith(LRO_FAILED)) {
    const serviceText = error.message.slice(LRO_FAILED.length).replace(/^[.\s]+/, '');
    const failed = op.failed ?? { code: 'ARM_REQUEST_REJECTED', message: `Azure could not ${where}` };
    return new AppError(failed.code, `${failed.message}: ${serviceText || 'no reason given'}`, {
      details: { ...base, serviceError: serviceText },
      cause: error,
    });
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (isNetworkErrorCode(code)) {
    return new AppError(
      'ARM_UNAVAILABLE',
      `Could not reach Azure to ${where} (${code}); the step will be retried.`,
      {
        details: { ...base, reason: code },
        cause: error,
      },
    );
  }
  return new AppError('INTERNAL_ERROR', `Unexpected error while trying to ${where}: ${describe(error)}`, {
    details: { ...base, error: describe(error) },
    cause: error,
  });
}

function fromRestError(
  error: RestErrorLike,
  op: ArmOperation,
  where: string,
  base: Record<string, unknown>,
): AppError {
  const status = error.statusCode;
  const requestId = error.response?.headers.get('x-ms-request-id') ?? undefined;
  const details = { ...base, status, armCode: error.code, armMessage: error.message, requestId };
  const service = error.code ? `${error.code}: ${error.message}` : error.message;
  const options = { details, cause: error };

  if (status === undefined) {
    return new AppError('ARM_UNAVAILABLE', `Could not reach Azure to ${where}: ${error.message}`, options);
  }
  if (status === 429) {
    const wait = retryAfterMs(error.response?.headers);
    return new AppError(
      'ARM_THROTTLED',
      `Azure throttled ${where} (429)${wait === undefined ? '' : `; retry after ${seconds(wait)} s`}.`,
      { ...options, details: { ...details, retryAfterMs: wait } },
    );
  }
  if (status === 408 || status >= 500) {
    const wait = retryAfterMs(error.response?.headers);
    return new AppError(
      'ARM_UNAVAILABLE',
      `Azure failed to ${where} (${status} ${service}); the step will be retried.`,
      {
        ...options,
        details: { ...details, retryAfterMs: wait },
      },
    );
  }
  if (status === 404 && op.notFound) {
    return new AppError(op.notFound.code, `${op.notFound.message} (${service})`, options);
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'ARM_FORBIDDEN',
      `The app's identity may not ${where}: ${service}. Grant it the alert-capture role (infra/) on that scope.`,
      options,
    );
  }
  if (status === 409) {
    return new AppError('ARM_CONFLICT', `Azure reported a conflict for ${where}: ${service}`, options);
  }
  return new AppError('ARM_REQUEST_REJECTED', `Azure rejected ${where} (${status} ${service}).`, options);
}

/** Runs an SDK call and classifies whatever it throws. */
export async function armCall<T>(op: ArmOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toArmError(error, op);
  }
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
