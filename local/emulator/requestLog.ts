import type { RequestRecord, RequestStats, RouteCount, RouteName } from './types';

const RECENT_LIMIT = 2000;

/** Requests seen per route, so tests can assert that a client retried or polled as expected. */
export class RequestLog {
  private counts: Partial<Record<RouteName, RouteCount>> = {};
  private recent: RequestRecord[] = [];

  record(entry: RequestRecord): void {
    const count = (this.counts[entry.route] ??= { requests: 0, faults: 0, byStatus: {} });
    count.requests++;
    if (entry.fault) count.faults++;
    count.byStatus[String(entry.status)] = (count.byStatus[String(entry.status)] ?? 0) + 1;
    this.recent.push(entry);
    if (this.recent.length > RECENT_LIMIT) this.recent.splice(0, this.recent.length - RECENT_LIMIT);
  }

  stats(): RequestStats {
    return { counts: structuredClone(this.counts), recent: [...this.recent] };
  }

  clear(): void {
    this.counts = {};
    this.recent = [];
  }
}
