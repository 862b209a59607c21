import type { HttpResponseInit } from '@azure/functions';
import { AppError } from '../errors/AppError';
import { ERROR_CATALOG, type ErrorCode } from '../errors/catalog';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One of several problems found in the same request. */
export interface ProblemItem {
  /** JSON Pointer (RFC 6901) into the body, or a header name. */
  field: string;
  detail: string;
}

/** An RFC 9457 problem document with this app's extension members `code`, `field` and `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  /**
   * What the problem is about: a JSON Pointer into the request body (`/data/essentials/alertTargetIDs/0`;
   * `""` is the whole body) or a header name (`content-type`, `authorization`).
   */
  field?: string;
  errors?: ProblemItem[];
  instance?: string;
}

/** The stable `type` URI of a code; docs/errors.md documents each code under its name. */
export function problemTypeFor(code: ErrorCode): string {
  return `urn:alert-capture:error:${code}`;
}

/** The problem document for a catalogued error; `field` and `errors` come from its details. */
export function problemFromError(error: AppError, options: { instance?: string } = {}): Problem {
  const entry = ERROR_CATALOG[error.code];
  const { field, errors } = error.details;
  return {
    type: problemTypeFor(error.code),
    title: entry.title,
    status: entry.status,
    detail: error.message,
    code: error.code,
    ...(typeof field === 'string' ? { field } : {}),
    ...(isProblemItems(errors) && errors.length > 0 ? { errors } : {}),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
  };
}

/**
 * The problem for anything thrown: catalogued errors keep their code, anything else becomes an
 * INTERNAL_ERROR whose detail reveals nothing of the original message (it may hold request data).
 */
export function problemFromUnknown(error: unknown, options: { instance?: string } = {}): Problem {
  if (error instanceof AppError) return problemFromError(error, options);
  return problemFromError(
    new AppError('INTERNAL_ERROR', 'The request could not be handled; the error is in the logs.', {
      cause: error,
    }),
    options,
  );
}

/**
 * The HTTP answer carrying a problem. A 401 names the Bearer scheme (RFC 9110 requires a challenge);
 * a 503 may advise when to retry.
 */
export function problemResponse(
  problem: Problem,
  options: { retryAfterSeconds?: number; headers?: Record<string, string> } = {},
): HttpResponseInit {
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
    ...options.headers,
  };
  if (problem.status === 401) {
    headers['www-authenticate'] ??= 'Bearer error="invalid_token"';
  }
  if (options.retryAfterSeconds !== undefined) {
    if (!Number.isInteger(options.retryAfterSeconds) || options.retryAfterSeconds < 0) {
      throw new RangeError(
        `retryAfterSeconds must be a non-negative integer, got ${options.retryAfterSeconds}`,
      );
    }
    headers['retry-after'] = String(options.retryAfterSeconds);
  }
  return { status: problem.status, headers, body: JSON.stringify(problem) };
}

function isProblemItems(value: unknown): value is ProblemItem[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as ProblemItem).field === 'string' &&
        typeof (item as ProblemItem).detail === 'string',
    )
  );
}
