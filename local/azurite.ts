import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Azurite's well-known development account: public, documented, the same on every machine. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface StartAzuriteOptions {
  /** Ports to try first (a busy one falls back to a free port); 0 or unset = any free port. */
  preferredPorts?: Partial<AzuritePorts>;
  /** Keep data in this folder; by default everything lives in memory and dies with the process. */
  location?: string;
  /** Prints Azurite's access log lines through this function (silent by default). */
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface AzuriteInstance {
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  connectionString: string;
  accountName: string;
  accountKey: string;
  ports: AzuritePorts;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/;

/**
 * Starts Azurite (blob, queue, table) from the pinned npm package in a child process on loopback.
 * The child is tied to this process through its IPC channel: if we die, it shuts itself down.
 */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<AzuriteInstance> {
  const ports: AzuritePorts = {
    blob: await portOrFree(options.preferredPorts?.blob),
    queue: await portOrFree(options.preferredPorts?.queue),
    table: await portOrFree(options.preferredPorts?.table),
  };
  const args = [
    '--blobHost', HOST, '--blobPort', String(ports.blob),
    '--queueHost', HOST, '--queuePort', String(ports.queue),
    '--tableHost', HOST, '--tablePort', String(ports.table),
    '--loose', '--skipApiVersionCheck', '--disableTelemetry',
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
    ...(options.log ? [] : ['--silent']),
  ]; // prettier-ignore
  const entry = require.resolve('azurite/dist/src/azurite.js');
  const bootstrap = `process.on('disconnect', () => process.kill(process.pid, 'SIGTERM')); require(${JSON.stringify(entry)});`;
  const child = spawn(process.execPath, ['-e', bootstrap, 'azurite', ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    cwd: options.location ?? process.cwd(),
  });
  const listening = await waitForListening(child, options);
  const blobEndpoint = `http://${HOST}:${listening.blob}/${AZURITE_ACCOUNT_NAME}`;
  const queueEndpoint = `http://${HOST}:${listening.queue}/${AZURITE_ACCOUNT_NAME}`;
  const tableEndpoint = `http://${HOST}:${listening.table}/${AZURITE_ACCOUNT_NAME}`;
  return {
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    ports: listening,
    stop: () => stopChild(child),
  };
}

function waitForListening(child: ChildProcess, options: StartAzuriteOptions): Promise<AzuritePorts> {
  const found: Partial<AzuritePorts> = {};
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30_000} ms`)),
      options.startTimeoutMs ?? 30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output.join('\n')}`, { cause: error }));
    };
    const onLine = (line: string) => {
      output.push(line);
      const match = LISTENING.exec(line);
      if (match) {
        found[(match[1] as string).toLowerCase() as keyof AzuritePorts] = Number(match[2]);
        if (found.blob && found.queue && found.table) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(found as AzuritePorts);
        }
      } else if (options.log && found.table) {
        options.log(line);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`Azurite exited with code ${code} while starting`));
    child.once('exit', onExit);
    child.once('error', fail);
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
  });
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.trimEnd());
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
  });
}

/** The preferred port when nothing listens on it, else 0 (the OS picks a free one). */
export async function portOrFree(preferred: number | undefined, host = HOST): Promise<number> {
  if (!preferred) return 0;
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(preferred, host, () => probe.close(() => resolve(preferred)));
  });
}
