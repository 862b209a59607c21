import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorAdminClient } from './adminClient';
import { handleAdmin } from './admin';
import { checkApiVersion } from './apiVersions';
import { ArmError } from './armError';
import { checkAuthorization } from './authorization';
import { CaptureUploader } from './blobUpload';
import { createLoopbackCertificate, type TlsIdentity } from './certificate';
import { readJsonBody, sendJson, type JsonAnswer } from './httpIo';
import { parseInventory, readInventoryFile, type InventoryFile } from './inventory';
import type { Namespace } from './namespace';
import { DEFAULT_NAMESPACE, NamespaceRegistry } from './namespaces';
import { armRoutes } from './routes';
import type { ArmHandler, ArmRequest } from './handlers/armRequest';
import type { ClockOptions, FaultSet, HttpFault, NamespaceSettings, RequestRecord, RouteName } from './types';

export const SAMPLE_INVENTORY_PATH = join(__dirname, '..', 'inventory.sample.json');

export interface StartEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A path or the parsed inventory; default: the sample inventory. */
  inventory?: string | InventoryFile;
  /** Storage account name → Azurite connection string; captures upload to these. */
  storageAccounts: Record<string, string>;
  /** Clock, settings and faults of the default namespace (the inventory's own subscription ids). */
  clock?: ClockOptions;
  settings?: Partial<NamespaceSettings>;
  faults?: FaultSet;
  /** Also write the certificate (PEM) to this file. */
  certPath?: string;
  /** One line per ARM request (method, path, status); never headers or bodies. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  url: string;
  certPem: string;
  certPath?: string;
  admin: EmulatorAdminClient;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const REAL_CLOCK_TICK_MS = 500;

/**
 * Starts the Network Watcher emulator: an HTTPS server on 127.0.0.1 speaking the ARM contract of
 * packet captures, network watchers, VMs, VM extensions and NICs, plus the `/_admin` API.
 */
export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const tls: TlsIdentity = await createLoopbackCertificate();
  if (options.certPath) writeFileSync(options.certPath, tls.certPem);
  const tempDir = mkdtempSync(join(tmpdir(), 'nw-emulator-'));
  const inventoryFile =
    typeof options.inventory === 'object'
      ? parseInventory(options.inventory)
      : readInventoryFile(options.inventory ?? SAMPLE_INVENTORY_PATH);
  const registry = new NamespaceRegistry({
    inventoryFile,
    uploader: new CaptureUploader(options.storageAccounts),
    tempDir,
  });
  registry.create({
    name: DEFAULT_NAMESPACE,
    clock: options.clock ?? { mode: 'real' },
    settings: options.settings,
    faults: options.faults,
  });
  const routes = armRoutes();

  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      options.log?.(`emulator error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, internalError());
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_admin')) {
      const answer: JsonAnswer = LOOPBACK.has(req.socket.remoteAddress ?? '')
        ? await handleAdmin(req, url.pathname, registry)
        : {
            status: 403,
            body: { error: { code: 'Forbidden', message: 'the admin API answers loopback callers only' } },
          };
      sendJson(res, answer);
      return;
    }
    const atMs = Date.now();
    let ns: Namespace | undefined;
    let routeName: RouteName | undefined;
    let fault: HttpFault | undefined;
    let answer: JsonAnswer;
    try {
      checkBearer(req);
      const found = routes.match(method, url.pathname);
      if (!('route' in found)) throw unknownRoute(method, url.pathname, found.methodMismatch);
      const { route, params } = found;
      routeName = route.name;
      const apiVersion = checkApiVersion(route.provider, url.searchParams.get('api-version'));
      ns = registry.forSubscription(params.subscriptionId as string);
      checkAuthorization(
        {
          forbiddenScopes: ns.settings.forbiddenScopes,
          effectiveFromMs: ns.authorizedFromMs,
          nowMs: ns.clock.now(),
        },
        method,
        url.pathname,
      );
      fault = ns.faults.forRequest(route.name);
      if (fault?.kind === 'drop') {
        ns.requests.record({ route: route.name, method, path: url.pathname, status: 0, fault: 'drop', atMs });
        req.socket.destroy();
        return;
      }
      if (fault && fault.kind !== 'slow' && fault.kind !== 'late') throw injectedError(fault);
      const body =
        method === 'PUT' || method === 'POST' || method === 'PATCH' ? await readJsonBody(req) : undefined;
      const request = {
        ns,
        params,
        query: url.searchParams,
        body,
        apiVersion,
        base: `https://${req.headers.host ?? 'localhost'}`,
      };
      if (fault?.kind === 'late') {
        deferRequest(request, route.handler, { route: route.name, method, path: url.pathname }, fault);
        ns.requests.record({ route: route.name, method, path: url.pathname, status: 0, fault: 'late', atMs });
        req.socket.destroy();
        return;
      }
      await ns.sync();
      answer = await route.handler(request);
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      answer = { status: error.status, body: error.body(), headers: error.headers };
    }
    // The request is carried out at once and only its answer is held back: a client that gives up
    // meanwhile loses the answer, not what it asked for, as with a real service.
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
    if (ns && routeName) {
      ns.requests.record({
        route: routeName,
        method,
        path: url.pathname,
        status: answer.status,
        fault: fault?.kind,
        atMs,
      });
    }
    sendJson(res, answer);
    options.log?.(`${method} ${url.pathname} ${answer.status}${fault ? ` (fault: ${fault.kind})` : ''}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const ticker = setInterval(() => {
    for (const ns of registry.all()) {
      if (ns.clock.mode === 'real')
        ns.sync().catch((e: unknown) => options.log?.(`emulator tick failed: ${String(e)}`));
    }
  }, REAL_CLOCK_TICK_MS);
  ticker.unref();

  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    certPem: tls.certPem,
    certPath: options.certPath,
    admin: new EmulatorAdminClient({ url, certPem: tls.certPem }),
    stop: async () => {
      clearInterval(ticker);
      await closeServer(server);
      for (const ns of registry.all()) ns.dispose();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/**
 * A `late` fault: the client has lost its connection, yet the service carries the request out
 * `afterSeconds` later (a create sent by a worker that died, landing after its run ended). The
 * request log gets a second line when it lands, with the status it would have answered.
 */
function deferRequest(
  request: ArmRequest,
  handler: ArmHandler,
  record: Pick<RequestRecord, 'route' | 'method' | 'path'>,
  fault: HttpFault,
): void {
  const { ns } = request;
  ns.defer(fault.afterSeconds ?? 60, async () => {
    let status: number;
    try {
      status = (await handler(request)).status;
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      status = error.status;
    }
    ns.requests.record({ ...record, status, fault: 'late', atMs: Date.now() });
  });
}

function checkBearer(req: IncomingMessage): void {
  const header = req.headers.authorization;
  if (!header) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    );
  }
  if (!/^Bearer\s+\S+/i.test(header)) {
    throw new ArmError(
      401,
      'InvalidAuthenticationToken',
      "The access token is invalid: expected 'Authorization: Bearer <token>'.",
    );
  }
}

function unknownRoute(method: string, path: string, methodMismatch: boolean): ArmError {
  return methodMismatch
    ? new ArmError(405, 'MethodNotAllowed', `The requested method ${method} is not allowed on ${path}.`)
    : new ArmError(
        404,
        'InvalidResourceType',
        `The resource path ${path} is not served by the Network Watcher emulator.`,
      );
}

function injectedError(fault: HttpFault): ArmError {
  const retryAfter = { 'Retry-After': String(fault.retryAfterSeconds ?? 1) };
  switch (fault.kind) {
    case 'throttle':
      return new ArmError(
        429,
        'TooManyRequests',
        'The request is being throttled (injected by the emulator).',
        retryAfter,
      );
    case 'unavailable':
      return new ArmError(
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable (injected by the emulator).',
        retryAfter,
      );
    default:
      return new ArmError(500, 'InternalServerError', 'An error occurred.');
  }
}

function internalError(): JsonAnswer {
  return { status: 500, body: { error: { code: 'InternalServerError', message: 'An error occurred.' } } };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
