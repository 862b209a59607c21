import {
  ROUTE_NAMES,
  type FaultSet,
  type HttpFault,
  type HttpFaultKind,
} from '../../../local/emulator/types';

/** Every ARM route the app calls (the blob upload is Network Watcher's own write, faulted apart). */
export const ARM_ROUTES = ROUTE_NAMES.filter((route) => route !== 'blobUpload');

export interface WeatherOptions {
  /** Share of ARM requests that get a fault, 0..1, spread evenly over the kinds below. */
  rate: number;
  /** Share of capture file uploads that fail (the capture then ends in Error / StorageFailed). */
  uploadFailureRate: number;
  /** Requests held past the ARM client's 30 s request timeout, in all (one route each, at most 6). */
  timeouts: number;
}

/** Faults that a retry can get past: throttling with Retry-After, server errors, cut connections, slowness. */
const KINDS: { kind: HttpFaultKind; extra?: Partial<HttpFault> }[] = [
  { kind: 'throttle', extra: { retryAfterSeconds: 1 } },
  { kind: 'serverError' },
  { kind: 'unavailable', extra: { retryAfterSeconds: 1 } },
  { kind: 'drop' },
  { kind: 'slow', extra: { delayMs: 1_500 } },
];

/** Held longer than the ARM pipeline's request timeout (ARM_PIPELINE_LIMITS.requestTimeoutMs, 30 s). */
const TIMEOUT_DELAY_MS = 31_000;
/** The create among them: the capture is made after the client gave up, and the retry must find it. */
const TIMED_OUT_ROUTES = ['create', 'queryStatus', 'vm', 'list', 'get', 'operations'] as const;

/**
 * The emulator's fault rules for a flaky control plane: on every ARM route, each kind fires with
 * the same chance, so that a request is faulted with probability `rate` in all (the emulator
 * tries the rules in order and the first that fires wins).
 */
export function flakyControlPlane(options: WeatherOptions): FaultSet {
  const perKind = 1 - (1 - options.rate) ** (1 / KINDS.length);
  const http: HttpFault[] = [];
  // The first request of as many routes is held: a retry must get past a request that never answered.
  for (const route of TIMED_OUT_ROUTES.slice(0, options.timeouts)) {
    http.push({ route, kind: 'slow', delayMs: TIMEOUT_DELAY_MS, times: 1 });
  }
  for (const route of ARM_ROUTES) {
    for (const { kind, extra } of KINDS) http.push({ route, kind, rate: perKind, ...extra });
  }
  http.push({ route: 'blobUpload', kind: 'serverError', rate: options.uploadFailureRate });
  return { http };
}
