/** Load generation for the webhook benchmark: real HTTP requests, latency measured per request. */
import type { ServedHost } from './serve';

export interface Delivery {
  status: number;
  ms: number;
  id?: string;
  joined?: boolean;
}

export interface LoadResult {
  deliveries: Delivery[];
  /** From the first send to the last answer. */
  wallMs: number;
}

export async function deliver(app: ServedHost, body: string): Promise<Delivery> {
  const started = performance.now();
  const response = await fetch(`${app.url}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': app.functionKey },
    body,
  });
  const answer = (await response.json()) as { id?: string; joined?: boolean };
  return { status: response.status, ms: performance.now() - started, id: answer.id, joined: answer.joined };
}

/** Sends every body at once, each on its own request. */
export async function burst(app: ServedHost, bodies: string[]): Promise<LoadResult> {
  const started = performance.now();
  const deliveries = await Promise.all(bodies.map((body) => deliver(app, body)));
  return { deliveries, wallMs: performance.now() - started };
}

/** Sends the bodies at a steady rate (open loop: a slow answer does not delay the next send). */
export async function paced(app: ServedHost, bodies: string[], perSecond: number): Promise<LoadResult> {
  const started = performance.now();
  const pending: Promise<Delivery>[] = [];
  for (const [i, body] of bodies.entries()) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(deliver(app, body));
  }
  const deliveries = await Promise.all(pending);
  return { deliveries, wallMs: performance.now() - started };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface LoadFigures {
  alerts: number;
  accepted: number;
  acceptedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

export function figures(result: LoadResult): LoadFigures {
  const ms = result.deliveries.map((d) => d.ms);
  const accepted = result.deliveries.filter((d) => d.status === 202).length;
  return {
    alerts: result.deliveries.length,
    accepted,
    acceptedPerSecond: (accepted / result.wallMs) * 1000,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: Math.max(...ms),
    wallMs: result.wallMs,
  };
}
