import { instanceExistsText } from '../../src/runtime/wireContracts';
import { DurableEngineError } from '../durable';
import { PayloadTooLargeError } from './requestBody';

/** A response of the Durable HTTP API before it is written: JSON body, or none. */
export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; undefined sends an empty body. */
  body?: unknown;
}

/** The `HttpError` shape ASP.NET's CreateErrorResponse gives the extension's error answers. */
export function errorResponse(status: number, message: string, exceptionMessage?: string): ApiResponse {
  return {
    status,
    body: {
      Message: message,
      ...(exceptionMessage === undefined ? {} : { ExceptionMessage: exceptionMessage }),
    },
  };
}

export const empty = (status: number): ApiResponse => ({ status });

/** .NET `bool.TryParse`: true/false in any case, else the default. */
export function booleanParameter(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name)?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : fallback;
}

export function dateParameter(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function integerParameter(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  return value !== null && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** Seconds as the extension reads `timeout` and `pollingInterval` (decimal numbers). */
export function secondsParameter(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const RUNTIME_STATUSES = [
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Pending',
  'Suspended',
];

/** `runtimeStatus=a,b` (repeatable); unknown names are ignored, as the extension's enum parse does. */
export function runtimeStatusParameter(query: URLSearchParams): Set<string> | undefined {
  const wanted = new Set<string>();
  for (const value of query.getAll('runtimeStatus').flatMap((v) => v.split(','))) {
    const known = RUNTIME_STATUSES.find((status) => status.toLowerCase() === value.trim().toLowerCase());
    if (known) wanted.add(known);
  }
  return wanted.size > 0 ? wanted : undefined;
}

/** Engine refusals as the extension answers them; anything else is its generic 500. */
export function engineErrorResponse(error: unknown): ApiResponse {
  if (error instanceof PayloadTooLargeError) return errorResponse(413, error.message);
  if (error instanceof DurableEngineError) {
    switch (error.code) {
      case 'DURABLE_FUNCTION_NOT_FOUND':
      case 'DURABLE_INSTANCE_ID_INVALID':
        return errorResponse(400, error.message);
      case 'DURABLE_INSTANCE_NOT_FOUND':
        return empty(404);
      case 'DURABLE_INSTANCE_COMPLETED':
        return empty(410);
      case 'DURABLE_INSTANCE_EXISTS':
        // The extension (Azure Storage provider) lets this InvalidOperationException become a 500.
        return errorResponse(
          500,
          'Something went wrong while processing your request',
          instanceExistsText(String(error.details.runtimeStatus)),
        );
    }
  }
  return errorResponse(
    500,
    'Something went wrong while processing your request',
    error instanceof Error ? error.message : String(error),
  );
}
