import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  invokeFunction,
  type FunctionRegistry,
  type RegisteredFunction,
  type RpcTypedData,
} from '../durable';
import { isAuthorized, type AccessLevel, type HostKeys } from './hostKeys';
import { PayloadTooLargeError, readRequestBody } from './requestBody';
import { compareRoutes, matchRoute, parseRouteTemplate, type RouteTemplate } from './routeTemplate';
import { toRpcHttpRequest, writeRpcHttpResponse, type RpcHttpResponse } from './rpcHttp';
import { invokeStreaming } from './streamProxy';

export interface HttpRoute {
  name: string;
  template: RouteTemplate;
  methods: string[];
  authLevel: AccessLevel;
  fn: RegisteredFunction;
}

export interface HttpTriggerHostOptions {
  registry: FunctionRegistry;
  keys: HostKeys;
  /** The durableClient binding data handed to functions that ask for a Durable client. */
  durableClientData: () => unknown;
  maxRequestBodyBytes: number;
  /** Set when the app enabled HTTP streams: the worker-side proxy that takes the raw request. */
  streamProxyUri?: string;
  log: (line: string) => void;
}

const AUTH_LEVELS = new Set<string>(['anonymous', 'function', 'admin']);

/** Serves the app's HTTP triggers as the Functions host does: routes, methods, keys, conversions. */
export class HttpTriggerHost {
  readonly routes: HttpRoute[];

  constructor(private readonly options: HttpTriggerHostOptions) {
    this.routes = options.registry
      .httpFunctions()
      .map((info) => ({
        name: info.name,
        template: parseRouteTemplate(info.route),
        methods: info.methods.map((m) => m.toUpperCase()),
        authLevel: (AUTH_LEVELS.has(info.authLevel.toLowerCase())
          ? info.authLevel.toLowerCase()
          : 'function') as AccessLevel,
        fn: options.registry.get(info.name)!,
      }))
      .sort((a, b) => compareRoutes(a.template, b.template));
  }

  /** Serves a request whose path (below the route prefix) is `segments`; false when no route matches. */
  async serve(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    let found: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      const params = matchRoute(route.template, segments);
      if (params && route.methods.includes(method)) {
        found = { route, params };
        break;
      }
    }
    if (!found) return false;
    const { route, params } = found;
    const presented = url.searchParams.get('code') ?? headerValue(req.headers['x-functions-key']);
    if (!isAuthorized(this.options.keys, route.authLevel, presented)) {
      res.writeHead(401).end();
      return true;
    }
    const started = Date.now();
    const invocationId = randomUUID();
    try {
      const status = await this.invoke(route, req, res, url, params, invocationId);
      this.options.log(`${method} ${url.pathname} -> ${route.name} ${status} (${Date.now() - started} ms)`);
    } catch (error) {
      const tooLarge =
        error instanceof PayloadTooLargeError ||
        (error as { cause?: unknown })?.cause instanceof PayloadTooLargeError;
      const status = tooLarge ? 413 : 500;
      if (!tooLarge) {
        this.options.log(
          `${method} ${url.pathname} -> ${route.name} failed (invocation ${invocationId}): ${describe(error)}`,
        );
      }
      if (!res.headersSent) res.writeHead(status, { Connection: 'close' }).end();
      else res.destroy();
    }
    return true;
  }

  private async invoke(
    route: HttpRoute,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    params: Record<string, string>,
    invocationId: string,
  ): Promise<number> {
    const extraInputs: Record<string, RpcTypedData> = {};
    if (route.fn.durableClientBindingName) {
      extraInputs[route.fn.durableClientBindingName] = {
        string: JSON.stringify(this.options.durableClientData()),
      };
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.options.streamProxyUri) {
      return invokeStreaming({
        registry: this.options.registry,
        fn: route.fn,
        req,
        res,
        url,
        params,
        extraInputs,
        invocationId,
        proxyUri: this.options.streamProxyUri,
        maxRequestBodyBytes: this.options.maxRequestBodyBytes,
      });
    }
    const body = await readRequestBody(req, this.options.maxRequestBodyBytes);
    const response = await invokeFunction(this.options.registry, route.fn, {
      triggerData: { http: toRpcHttpRequest({ method, url, headers: req.headers, params, body }) },
      extraInputs,
      invocationId,
    });
    const output = httpOutput(route.fn, response.returnValue, response.outputData);
    writeRpcHttpResponse(res, output);
    return res.statusCode;
  }
}

/** The function's HTTP output: its `$return` binding, or a named `http` output binding. */
function httpOutput(
  fn: RegisteredFunction,
  returnValue: RpcTypedData | null | undefined,
  outputData: Array<{ name: string; data: RpcTypedData }>,
): RpcHttpResponse | undefined {
  const entry = Object.entries(fn.metadata.bindings).find(
    ([, binding]) => binding.direction === 'out' && binding.type.toLowerCase() === 'http',
  );
  if (!entry) return undefined;
  const data = entry[0] === '$return' ? returnValue : outputData.find((o) => o.name === entry[0])?.data;
  return (data?.http ?? undefined) as RpcHttpResponse | undefined;
}

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
