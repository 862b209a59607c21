import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resetConfig } from '../../src/config';
import { DurableEngine, loadApp, RealClock, type FunctionRegistry } from '../durable';
import type { LogSink } from '../durable/functionsCore';
import { DevHostError } from './DevHostError';
import { DurableHttpApi } from './durableApi';
import { readHostSettings } from './hostJson';
import { DURABLE_SYSTEM_KEY, loadHostKeys } from './hostKeys';
import { publicListener, rpcListener } from './hostRequests';
import { HttpTriggerHost } from './httpTriggers';
import { durableClientBindingData, type WebhookAddress } from './managementLinks';
import { TableInstanceStore } from './tableInstanceStore';
import { TimerTriggerHost } from './timerTriggers';
import { workerCapabilities } from './workerCapabilities';

const ROOT = join(__dirname, '..', '..');
const LOOPBACK = '127.0.0.1';
// The Functions host refuses HTTP request bodies over 100 MB.
const DEFAULT_MAX_REQUEST_BODY_BYTES = 100 * 1024 * 1024;
const STOP_GRACE_MS = 10_000;

export interface StartDevHostOptions {
  /** The app entry that registers every function. Default: src/index.ts. */
  entry?: string;
  /** Port of the public listener (HTTP triggers, Durable webhooks). Default 7071; 0 = any free port. */
  port?: number;
  /** Port of the internal Durable client endpoint (`rpcBaseUrl`). Default 0 (any free port). */
  rpcPort?: number;
  /** App settings, put into process.env while the host runs (the app reads its settings there). */
  env?: Record<string, string>;
  /** Storage for the task hub tables. Default: the `AzureWebJobsStorage` setting. */
  azurite?: { connectionString: string };
  /** How many times faster than real time durable timers run (DEVHOST_TIME_SCALE). Default 1. */
  timeScale?: number;
  /** What the orchestration clock shows at start (to run in step with the emulator). Default: now. */
  clockStart?: Date;
  /** The git-ignored keys file, made on first start. Default: .local/host-keys.json. */
  keysFile?: string;
  /** Default: host.json at the repository root. */
  hostJsonPath?: string;
  maxRequestBodyBytes?: number;
  /** One line per request, orchestration end and app log line. Silent by default. */
  log?: (line: string) => void;
}

export interface DevHostFunction {
  name: string;
  methods: string[];
  authLevel: string;
  /** The route template under the host's URL, e.g. http://127.0.0.1:7071/api/alerts. */
  url: string;
}

export interface DevHost {
  /** Origin of the public listener, e.g. http://127.0.0.1:7071. */
  url: string;
  rpcBaseUrl: string;
  functionKey: string;
  masterKey: string;
  /** The Durable extension's key (`code` of the management URLs). */
  systemKey: string;
  keysFile: string;
  taskHub: string;
  functions: DevHostFunction[];
  engine: DurableEngine;
  /** Instances that were Pending or Running in the task hub and were picked up at start. */
  resumed: number;
  /**
   * Runs a non-HTTP function (a timer trigger) now and resolves when it has returned, as the
   * admin endpoint `POST /admin/functions/{name}` does without waiting.
   */
  runFunction(name: string): Promise<void>;
  /** Stops taking requests, lets running activities finish (10 s at most), then stops. */
  stop(): Promise<void>;
  /** Stops at once, as if the process died: connections are cut and nothing more is written. */
  kill(): Promise<void>;
}

let running = false;

/**
 * Starts the dev host in this process: loads the app's registrations through the functions-core
 * stand-in, serves its HTTP triggers and the Durable HTTP API on 127.0.0.1, and runs orchestrations
 * with the replay engine on a real (optionally faster) clock, keeping them in Azure tables so that
 * a new host on the same storage resumes what was running.
 */
export async function startDevHost(options: StartDevHostOptions = {}): Promise<DevHost> {
  if (running) {
    throw new DevHostError(
      'DEVHOST_ALREADY_RUNNING',
      'A dev host already runs in this process; stop it first (app settings live in process.env, one set per process).',
    );
  }
  running = true;
  const restoreEnv = applyEnv(options.env ?? {});
  const cleanups: Array<() => Promise<void> | void> = [restoreEnv, () => void (running = false)];
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    return await start(options, cleanups, undo);
  } catch (error) {
    await undo();
    throw error;
  }
}

async function start(
  options: StartDevHostOptions,
  cleanups: Array<() => Promise<void> | void>,
  undo: () => Promise<void>,
): Promise<DevHost> {
  const log = options.log ?? (() => undefined);
  const settings = readHostSettings(options.hostJsonPath ?? join(ROOT, 'host.json'), process.env);
  const keysFile = options.keysFile ?? join(ROOT, '.local', 'host-keys.json');
  const keys = loadHostKeys(keysFile);
  const systemKey = keys.systemKeys[DURABLE_SYSTEM_KEY]!;
  const connectionString = options.azurite?.connectionString ?? process.env.AzureWebJobsStorage;
  if (!connectionString) {
    throw new DevHostError(
      'DEVHOST_SETUP_INVALID',
      'The dev host needs storage for its task hub: pass `azurite` or set AzureWebJobsStorage.',
    );
  }
  const maxRequestBodyBytes = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;

  const registry = await loadApp(options.entry ?? join(ROOT, 'src', 'index.ts'));
  cleanups.push(routeAppLogs(registry, options.log));
  const capabilities = await workerCapabilities(registry);
  // As the Functions worker does, before any invocation: a failing hook (say, a malformed setting)
  // stops the host with its message instead of serving requests that would all fail.
  for (const hook of registry.hooks('appStart')) await hook({ hookData: {}, functionAppDirectory: ROOT });

  const store = new TableInstanceStore({
    connectionString,
    taskHub: settings.taskHub,
    onWriteError: (error, instanceId) => log(`Writing instance '${instanceId}' failed: ${String(error)}`),
  });
  await store.init();
  cleanups.push(() => store.fence());
  const engine = new DurableEngine({
    registry,
    clock: new RealClock({ speedUp: options.timeScale ?? 1, start: options.clockStart }),
    store,
    maxConcurrentActivities: settings.maxConcurrentActivityFunctions,
    onEpisode: ({ instanceId, runtimeStatus }) => {
      if (runtimeStatus !== 'Running') log(`Orchestration ${instanceId}: ${runtimeStatus}`);
    },
  });
  cleanups.push(() => engine.close());
  const resumed = await engine.resume();

  const publicServer = createServer();
  const rpcServer = createServer();
  cleanups.push(
    () => closeNow(publicServer),
    () => closeNow(rpcServer),
  );
  const publicPort = await listen(publicServer, options.port ?? 7071);
  const rpcPort = await listen(rpcServer, options.rpcPort ?? 0);
  const url = `http://${LOOPBACK}:${publicPort}`;
  const rpcBaseUrl = `http://${LOOPBACK}:${rpcPort}/durabletask/`;
  cleanups.push(setEnvForHost({ WEBSITE_HOSTNAME: `${LOOPBACK}:${publicPort}` }));

  const address: WebhookAddress = { origin: url, taskHub: settings.taskHub, systemKey };
  const triggers = new HttpTriggerHost({
    registry,
    keys,
    durableClientData: () => durableClientBindingData(address, rpcBaseUrl),
    maxRequestBodyBytes,
    streamProxyUri: capabilities.HttpUri,
    log,
  });
  const timers = new TimerTriggerHost({
    registry,
    durableClientData: () => durableClientBindingData(address, rpcBaseUrl),
    log,
  });
  cleanups.push(() => timers.stop());
  const context = {
    api: new DurableHttpApi({ engine, store, taskHub: settings.taskHub, systemKey }),
    triggers,
    timers,
    keys,
    routePrefix: settings.routePrefix,
    publicOrigin: () => url,
    maxRequestBodyBytes,
    log,
  };
  publicServer.on('request', publicListener(context));
  rpcServer.on('request', rpcListener(context));
  if (resumed > 0) log(`Resumed ${resumed} orchestration(s) from task hub ${settings.taskHub}.`);
  timers.start();

  let stopped = false;
  const prefix = settings.routePrefix === '' ? '' : `/${settings.routePrefix}`;
  return {
    url,
    rpcBaseUrl,
    functionKey: keys.functionKeys.default!,
    masterKey: keys.masterKey,
    systemKey,
    keysFile,
    taskHub: settings.taskHub,
    functions: triggers.routes.map((route) => ({
      name: route.name,
      methods: route.methods,
      authLevel: route.authLevel,
      url: `${url}${prefix}/${route.template.template.replace(/^\/+/, '')}`,
    })),
    engine,
    resumed,
    runFunction: async (name) => {
      const fn = timers.find(name);
      if (!fn) throw new DevHostError('DEVHOST_SETUP_INVALID', `No non-HTTP function named ${name}.`);
      await timers.run(fn);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      timers.stop();
      await Promise.all([closeGracefully(publicServer), closeGracefully(rpcServer)]);
      engine.close();
      await settleWithin(
        Promise.all([engine.whenIdle(), timers.whenIdle()]).then(() => undefined),
        STOP_GRACE_MS,
        log,
      );
      for (const hook of registry.hooks('appTerminate')) await hook({ hookData: {} });
      await undo();
    },
    kill: async () => {
      if (stopped) return;
      stopped = true;
      timers.stop();
      engine.halt();
      store.fence();
      await undo();
    },
  };
}

/** Puts app settings into process.env; returns what puts the previous values back. */
function applyEnv(env: Record<string, string>): () => void {
  const restore = setEnvForHost(env);
  resetConfig();
  return () => {
    restore();
    resetConfig();
  };
}

function setEnvForHost(env: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Sends the app's `context.log` lines to the host log while the host runs. */
function routeAppLogs(registry: FunctionRegistry, log: ((line: string) => void) | undefined): () => void {
  const previous = registry.logSink;
  if (log) {
    const sink: LogSink = (level, category, message) => {
      if (category === 'user' || level === 'warning' || level === 'error' || level === 'critical') {
        log(`[${level}] ${message}`);
      }
    };
    registry.logSink = sink;
  }
  return () => {
    registry.logSink = previous;
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new DevHostError('DEVHOST_SETUP_INVALID', `Cannot listen on ${LOOPBACK}:${port}: ${error.message}`, {
          details: { port },
          cause: error,
        }),
      ),
    );
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

async function closeGracefully(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
  await closed;
  clearTimeout(timer);
}

function closeNow(server: Server): void {
  if (server.listening) server.close();
  server.closeAllConnections();
}

async function settleWithin(work: Promise<void>, ms: number, log: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log(`Activities still running after ${ms} ms; stopping without them (they run again after a restart).`);
      resolve();
    }, ms);
  });
  await Promise.race([work.catch((error: unknown) => log(`The engine reported: ${String(error)}`)), timeout]);
  clearTimeout(timer);
}
