import type { JsonAnswer } from '../httpIo';
import type { Namespace } from '../namespace';
import type { AsyncOperation } from '../operations';
import type { Params } from '../router';

export interface ArmRequest {
  ns: Namespace;
  params: Params;
  query: URLSearchParams;
  body: unknown;
  apiVersion: string;
  /** `https://host:port` as the client called it; operation URLs point back there. */
  base: string;
}

export type ArmHandler = (request: ArmRequest) => Promise<JsonAnswer> | JsonAnswer;

/** The headers of an accepted long-running operation, polled through its status or its result URL. */
export function lroHeaders(
  request: ArmRequest,
  op: AsyncOperation,
  via: 'status' | 'result',
): Record<string, string> {
  const { ns, base } = request;
  return {
    ...(via === 'status'
      ? { 'Azure-AsyncOperation': ns.operations.statusUrl(base, op) }
      : { Location: ns.operations.resultUrl(base, op) }),
    'Retry-After': String(ns.settings.retryAfterSeconds),
  };
}
