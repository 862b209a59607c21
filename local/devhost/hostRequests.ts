import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApiResponse } from './apiMessages';
import type { DurableHttpApi } from './durableApi';
import { isAuthorized, type HostKeys } from './hostKeys';
import type { HttpTriggerHost } from './httpTriggers';
import type { TimerTriggerHost } from './timerTriggers';
import { DURABLE_WEBHOOK_PATH } from './managementLinks';
import { readRequestBody } from './requestBody';

export interface HostRequestContext {
  api: DurableHttpApi;
  triggers: HttpTriggerHost;
  /** The non-HTTP functions (timer triggers) and the admin endpoint that runs them on demand. */
  timers: TimerTriggerHost;
  keys: HostKeys;
  routePrefix: string;
  /** Origin of the public listener: links in answers to internal (RPC) requests use it. */
  publicOrigin: () => string;
  maxRequestBodyBytes: number;
  log: (line: string) => void;
}

const WEBHOOK_SEGMENTS = DURABLE_WEBHOOK_PATH.split('/').filter(Boolean);
const ADMIN_FUNCTIONS_SEGMENTS = ['admin', 'functions'];
const RPC_SEGMENTS = ['durabletask'];

/**
 * The public listener: the Durable extension's webhooks (system or master key) and the app's HTTP
 * triggers below the route prefix (each with its own authorization level).
 */
export function publicListener(context: HostRequestContext): RequestListener {
  const prefix = context.routePrefix === '' ? [] : context.routePrefix.split('/');
  return guarded(context, async (req, res, url, segments) => {
    if (startsWith(segments, WEBHOOK_SEGMENTS)) {
      const key = url.searchParams.get('code') ?? firstValue(req.headers['x-functions-key']);
      if (!isAuthorized(context.keys, 'system', key)) return void res.writeHead(401).end();
      return serveApi(context, req, res, url, segments.slice(WEBHOOK_SEGMENTS.length), url.origin);
    }
    if (startsWith(segments, ADMIN_FUNCTIONS_SEGMENTS) && segments.length === 3) {
      return runNonHttpFunction(context, req, res, url, segments[2]!);
    }
    if (
      startsWith(segments, prefix) &&
      (await context.triggers.serve(req, res, url, segments.slice(prefix.length)))
    ) {
      return;
    }
    res.writeHead(404).end();
  });
}

/**
 * The internal listener `rpcBaseUrl` points at (loopback only, like the extension's local RPC
 * endpoint): the same Durable API without keys, for the `durable-functions` client in the app.
 */
export function rpcListener(context: HostRequestContext): RequestListener {
  return guarded(context, async (req, res, url, segments) => {
    if (!startsWith(segments, RPC_SEGMENTS)) return void res.writeHead(404).end();
    await serveApi(context, req, res, url, segments.slice(RPC_SEGMENTS.length), context.publicOrigin());
  });
}

/**
 * `POST /admin/functions/{name}` with the master key, body `{"input": "..."}` (optional): runs a
 * non-HTTP function now and answers 202 without waiting for it, as the Functions host does.
 */
async function runNonHttpFunction(
  context: HostRequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  name: string,
): Promise<void> {
  const key = url.searchParams.get('code') ?? firstValue(req.headers['x-functions-key']);
  if (!isAuthorized(context.keys, 'admin', key)) return void res.writeHead(401).end();
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return void res.writeHead(405).end();
  const fn = context.timers.find(name);
  if (!fn) return void res.writeHead(404).end();
  const body = (await readRequestBody(req, context.maxRequestBodyBytes)).toString('utf8');
  let input: string | undefined;
  try {
    const parsed = body.trim() === '' ? {} : (JSON.parse(body) as { input?: unknown });
    input = typeof parsed.input === 'string' ? parsed.input : undefined;
  } catch {
    return void res.writeHead(400).end();
  }
  void context.timers.runLogged(fn, 'admin', input);
  res.writeHead(202).end();
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]) => Promise<void>;

function guarded(context: HostRequestContext, handler: Handler): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      res.writeHead(400).end();
      return;
    }
    handler(req, res, url, segments).catch((error: unknown) => {
      context.log(
        `${req.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

async function serveApi(
  context: HostRequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  segments: string[],
  linkOrigin: string,
): Promise<void> {
  const response = await context.api.handle({
    method: req.method ?? 'GET',
    segments,
    url,
    contentType: req.headers['content-type'],
    continuationToken: firstValue(req.headers['x-ms-continuation-token']),
    linkOrigin,
    body: () => readRequestBody(req, context.maxRequestBodyBytes),
  });
  writeApiResponse(res, response);
}

function writeApiResponse(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}

function startsWith(segments: string[], prefix: string[]): boolean {
  return prefix.every((part, i) => segments[i]?.toLowerCase() === part.toLowerCase());
}

const firstValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
