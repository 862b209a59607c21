import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/cjs/api';
import { afterAll, beforeAll } from 'vitest';
import { startDevHost, type DevHost, type StartDevHostOptions } from '../../../local/devhost';
import { createOfflineStack, type OfflineStack } from '../../support/stack';

// The app entry registers thin handlers that `require` their modules on first call. Under vitest
// `require` is Node's own and cannot load TypeScript; tsx's require hook lets it, as under
// `npm start`. Those modules are instances apart from the ones vitest loads.
register();
const nativeRequire = createRequire(__filename);
const APP_ROOT = join(__dirname, '..', '..', '..');

/** Makes the `require`d instance of the settings module read process.env again (a host changed it). */
export function reloadRequiredSettings(): void {
  (nativeRequire(join(APP_ROOT, 'src', 'config.ts')) as typeof import('../../../src/config')).resetConfig();
}

/**
 * How many times faster than real time both clocks run: the emulator's capture sessions and the
 * dev host's durable timers. A 60-second capture takes one second; the SDK's own waits (LRO polls,
 * retries) stay real, so a higher factor would let them eat the run's capture deadlines.
 */
export const TIME_SCALE = 60;

/** Settings of the e2e runs: short captures, the shortest check interval. */
const E2E_SETTINGS: Record<string, string> = {
  CAPTURE_TIME_LIMIT_SECONDS: '60',
  CAPTURE_CHECK_INTERVAL_SECONDS: '10',
  CAPTURE_SLOT_WAIT_SECONDS: '120',
};

export interface AppHostOptions {
  label: string;
  /** App settings on top of the stack's and the e2e defaults. */
  settings?: Record<string, string>;
}

export interface AppHost {
  readonly stack: OfflineStack;
  readonly host: DevHost;
  /** The options of the running host: another host started with them shares its task hub and keys. */
  readonly hostOptions: StartDevHostOptions;
  /** Every line the hosts logged (requests, app logs), to check that no secret is ever written. */
  readonly logs: readonly string[];
  /** Starts a new dev host on the same task hub, keys and emulated clock (after `host.kill()`). */
  restart(): Promise<DevHost>;
}

/**
 * The app as it runs offline, for one test file: an emulator namespace whose clock runs at
 * TIME_SCALE, and the dev host serving the unchanged `src/index.ts` over HTTP on a free port, its
 * task hub in Azurite, its clock in step with the namespace's.
 */
export function useAppHost(options: AppHostOptions): AppHost {
  let stack: OfflineStack | undefined;
  let host: DevHost | undefined;
  let hostOptions: StartDevHostOptions | undefined;
  let dir = '';
  const logs: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-'));
    stack = await createOfflineStack({
      label: options.label,
      clock: { mode: 'real', factor: TIME_SCALE },
    });
    hostOptions = {
      entry: join(APP_ROOT, 'src', 'index.ts'),
      port: 0,
      env: { ...stack.env, ...E2E_SETTINGS, ...options.settings },
      timeScale: TIME_SCALE,
      keysFile: join(dir, 'host-keys.json'),
      log: (line) => logs.push(line),
    };
    host = await startDevHost({ ...hostOptions, clockStart: new Date((await stack.admin.clock()).nowMs) });
    reloadRequiredSettings();
  });
  afterAll(async () => {
    await host?.stop();
    reloadRequiredSettings();
    await stack?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the app host exists only inside tests, after beforeAll');
    return value;
  };
  return {
    get stack() {
      return required(stack);
    },
    get host() {
      return required(host);
    },
    get hostOptions() {
      return required(hostOptions);
    },
    logs,
    async restart() {
      const clockStart = new Date((await required(stack).admin.clock()).nowMs);
      host = await startDevHost({ ...required(hostOptions), clockStart });
      reloadRequiredSettings();
      return host;
    },
  };
}
