import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../../../local/traffic';

export type ProxyFaultKind = 'serverError' | 'unavailable' | 'drop' | 'slow';

export interface FaultyProxyOptions {
  /** Origin the requests are forwarded to, e.g. Azurite's blob endpoint origin. */
  target: string;
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  seed: number;
  /** Delay of a `slow` fault (kept under the clients' timeouts). */
  slowMs?: number;
}

export interface ProxyCounts {
  requests: number;
  faults: Record<ProxyFaultKind, number>;
}

export interface FaultyProxy {
  /** Origin of the proxy: same paths as the target. */
  url: string;
  counts(): ProxyCounts;
  /** Turns faults on or off (the checks at the end read through it without faults). */
  setRate(rate: number): void;
  close(): Promise<void>;
}

const KINDS: readonly ProxyFaultKind[] = ['serverError', 'unavailable', 'drop', 'slow'];

/**
 * An HTTP proxy on 127.0.0.1 that forwards every request to `target` unchanged (the storage
 * clients' shared-key signatures cover the path and headers, not the host) and answers a seeded
 * share of them with a fault instead: 500, 503 with Retry-After, a cut connection, or a slow
 * answer. Azurite cannot inject faults itself; this puts the app's blob reads and writes under the
 * same weather as its ARM calls.
 */
export async function startFaultyProxy(options: FaultyProxyOptions): Promise<FaultyProxy> {
  const target = new URL(options.target);
  const random = new SeededRandom(options.seed);
  let rate = options.rate;
  const counts: ProxyCounts = { requests: 0, faults: { serverError: 0, unavailable: 0, drop: 0, slow: 0 } };

  const server: Server = createServer((req, res) => {
    counts.requests++;
    const fault = random.float() < rate ? KINDS[random.int(0, KINDS.length - 1)]! : undefined;
    if (fault) counts.faults[fault]++;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === 'serverError' || fault === 'unavailable') {
      // Read the body first so that the client sees an answer, not a reset.
      req.resume();
      req.on('end', () => {
        const status = fault === 'serverError' ? 500 : 503;
        res.writeHead(status, {
          'content-type': 'application/xml',
          'x-ms-error-code': fault === 'serverError' ? 'InternalError' : 'ServerBusy',
          ...(status === 503 && { 'retry-after': '1' }),
        });
        res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${fault}</Code></Error>`);
      });
      return;
    }
    const forward = () => pipeTo(target, req, res);
    if (fault === 'slow') setTimeout(forward, options.slowMs ?? 1_500);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    setRate: (next) => {
      rate = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pipeTo(target: URL, req: IncomingMessage, res: import('node:http').ServerResponse): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}
