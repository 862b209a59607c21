import { SeededRandom } from '../traffic';
import type { CaptureFault, CaptureFaultKind, FaultSet, HttpFault, HttpFaultKind, RouteName } from './types';
import { ROUTE_NAMES } from './types';

interface ActiveHttpFault extends HttpFault {
  hits: number;
}

interface ActiveCaptureFault extends CaptureFault {
  hits: number;
}

const HTTP_KINDS: readonly HttpFaultKind[] = [
  'throttle',
  'serverError',
  'unavailable',
  'slow',
  'drop',
  'late',
];
const CAPTURE_KINDS: readonly CaptureFaultKind[] = [
  'agentMissing',
  'agentStopped',
  'storageFailed',
  'neverStarts',
  'emptyFile',
];

/**
 * Fault rules of one namespace. Request faults hit a route by rate, drawn from a seeded generator so
 * a run is reproducible; capture faults hit the next captures (on one VM, or on any).
 */
export class FaultInjector {
  private http: ActiveHttpFault[] = [];
  private capture: ActiveCaptureFault[] = [];
  private random: SeededRandom;

  constructor(private readonly seed: number) {
    this.random = new SeededRandom(seed);
  }

  add(faults: FaultSet): void {
    for (const fault of faults.http ?? []) this.http.push({ ...validateHttpFault(fault), hits: 0 });
    for (const fault of faults.capture ?? []) this.capture.push({ ...validateCaptureFault(fault), hits: 0 });
  }

  /** Forgets every rule and restarts the random sequence. */
  clear(): void {
    this.http = [];
    this.capture = [];
    this.random = new SeededRandom(this.seed);
  }

  list(): FaultSet {
    return {
      http: this.http.map(({ hits: _hits, ...rule }) => rule),
      capture: this.capture.map(({ hits: _hits, ...rule }) => rule),
    };
  }

  /** The fault this request suffers, if any (the first matching rule that fires). */
  forRequest(route: RouteName): HttpFault | undefined {
    for (const rule of this.http) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (this.random.float() >= (rule.rate ?? 1)) continue;
      rule.hits++;
      return rule;
    }
    return undefined;
  }

  /** The capture faults a new capture on this VM suffers (each consumed once). */
  forCapture(vm: { id: string; name: string }): CaptureFault[] {
    const hit: CaptureFault[] = [];
    for (const rule of this.capture) {
      const matches =
        rule.vm === undefined ||
        rule.vm.toLowerCase() === vm.id.toLowerCase() ||
        rule.vm.toLowerCase() === vm.name.toLowerCase();
      const limit = rule.times ?? (rule.vm === undefined ? 1 : Infinity);
      if (!matches || rule.hits >= limit) continue;
      rule.hits++;
      hit.push(rule);
    }
    return hit;
  }
}

function validateHttpFault(fault: HttpFault): HttpFault {
  if (fault.route !== '*' && !ROUTE_NAMES.includes(fault.route)) {
    throw new TypeError(
      `unknown fault route '${String(fault.route)}'; use one of ${ROUTE_NAMES.join(', ')} or *`,
    );
  }
  if (!HTTP_KINDS.includes(fault.kind)) {
    throw new TypeError(`unknown request fault '${String(fault.kind)}'; use one of ${HTTP_KINDS.join(', ')}`);
  }
  checkRange('rate', fault.rate, 0, 1);
  checkRange('times', fault.times, 0, Number.MAX_SAFE_INTEGER);
  checkRange('retryAfterSeconds', fault.retryAfterSeconds, 0, 3600);
  checkRange('delayMs', fault.delayMs, 0, 600_000);
  checkRange('afterSeconds', fault.afterSeconds, 0, 86_400);
  return fault;
}

function validateCaptureFault(fault: CaptureFault): CaptureFault {
  if (!CAPTURE_KINDS.includes(fault.kind)) {
    throw new TypeError(
      `unknown capture fault '${String(fault.kind)}'; use one of ${CAPTURE_KINDS.join(', ')}`,
    );
  }
  checkRange('times', fault.times, 0, Number.MAX_SAFE_INTEGER);
  checkRange('afterSeconds', fault.afterSeconds, 0, 18_000);
  return fault;
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new RangeError(`fault ${name} must be a number in ${min}..${max}, got ${String(value)}`);
  }
}
