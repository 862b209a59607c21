import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { invocationLog, type InvocationLog } from '../runtime/invocationLog';
import { AppError } from '../errors/AppError';
import { problemFromUnknown, problemResponse } from '../http/problem';

/** A setting is fixed by a person, not in seconds; everything else retriable may pass quickly. */
const RETRY_AFTER_SECONDS = { CONFIG_INVALID: 60, default: 5 } as const;

function retryAfterFor(code: string): number {
  return code === 'CONFIG_INVALID' ? RETRY_AFTER_SECONDS.CONFIG_INVALID : RETRY_AFTER_SECONDS.default;
}

/** A JSON answer that no proxy or browser keeps (run states change, links expire). */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export type TriggerHandler = (request: HttpRequest, log: InvocationLog) => Promise<HttpResponseInit>;

/**
 * Runs a trigger body and turns whatever it throws into a problem+json answer: catalogued errors
 * keep their code and status, anything else is a 500 whose detail reveals nothing. Failures are
 * logged with their code; retriable ones (503) advise a retry.
 */
export async function answerWithProblems(
  trigger: string,
  request: HttpRequest,
  context: InvocationContext,
  handle: TriggerHandler,
): Promise<HttpResponseInit> {
  const log = invocationLog(context, { trigger });
  try {
    return await handle(request, log);
  } catch (error) {
    const problem = problemFromUnknown(error, { instance: context.invocationId });
    const fields = {
      code: problem.code,
      status: problem.status,
      message: error instanceof Error ? error.message : String(error),
      cause: error instanceof AppError && error.cause instanceof Error ? error.cause.message : undefined,
    };
    if (problem.status >= 500) log.error('request.failed', fields);
    else log.warn('request.refused', { code: problem.code, status: problem.status, field: problem.field });
    const retriable = error instanceof AppError && error.retriable;
    return problemResponse(problem, retriable ? { retryAfterSeconds: retryAfterFor(problem.code) } : {});
  }
}
