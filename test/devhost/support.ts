import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startDevHost, type DevHost, type StartDevHostOptions } from '../../local/devhost';

export const TEST_APP = join(__dirname, 'fixtures', 'testApp.ts');

/** A task hub name of its own for each test file (the tables are named after it). */
export const uniqueHub = (): string => `dh${randomUUID().replaceAll('-', '').slice(0, 16)}`;

export interface DevHostFixture {
  readonly host: DevHost;
  readonly keysFile: string;
  readonly taskHub: string;
  readonly connectionString: string;
  /** The options the host was started with, to start another one on the same task hub. */
  readonly options: StartDevHostOptions;
}

/**
 * Starts a dev host over the test app for the file (on the run's Azurite, any free ports, a task
 * hub and keys file of its own) and stops it after the file.
 */
export function useDevHost(overrides: Partial<StartDevHostOptions> = {}): DevHostFixture {
  let host: DevHost | undefined;
  let dir = '';
  const taskHub = uniqueHub();
  let options: StartDevHostOptions = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'devhost-'));
    const connectionString = inject('offlineStack').azurite.connectionString;
    options = {
      entry: TEST_APP,
      port: 0,
      env: { DURABLE_TASK_HUB: taskHub, AzureWebJobsStorage: connectionString },
      keysFile: join(dir, 'host-keys.json'),
      ...overrides,
    };
    host = await startDevHost(options);
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = (): DevHost => {
    if (!host) throw new Error('the dev host exists only inside tests, after beforeAll');
    return host;
  };
  return {
    get host() {
      return started();
    },
    get keysFile() {
      return join(dir, 'host-keys.json');
    },
    taskHub,
    get connectionString() {
      return inject('offlineStack').azurite.connectionString;
    },
    get options() {
      return options;
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
