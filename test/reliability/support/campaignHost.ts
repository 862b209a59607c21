import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/cjs/api';
import { startDevHost, type DevHost, type StartDevHostOptions } from '../../../local/devhost';
import type { FaultSet, NamespaceSettings } from '../../../local/emulator/types';
import { createOfflineStack, type OfflineStack } from '../../support/stack';

// The app entry loads each function's module with `require` on first call; under vitest that is
// Node's own require, which needs tsx's hook to load TypeScript (as under `npm start`).
register();
const nativeRequire = createRequire(__filename);
const APP_ROOT = join(__dirname, '..', '..', '..');

/** Makes the `require`d copy of the settings module read process.env again after a host change. */
function reloadRequiredSettings(): void {
  (nativeRequire(join(APP_ROOT, 'src', 'config.ts')) as typeof import('../../../src/config')).resetConfig();
}

/**
 * How many times faster than real time the emulator's capture sessions and the host's durable
 * timers run. The SDKs' own waits (retries, Retry-After, LRO polls) stay real, so a higher factor
 * would let them eat the run's emulated deadlines.
 */
export const TIME_SCALE = 60;

export interface CampaignHostOptions {
  label: string;
  /** App settings on top of the stack's. */
  settings?: (stack: OfflineStack) => Record<string, string>;
  namespaceSettings?: Partial<NamespaceSettings>;
  faults?: FaultSet;
  log: (line: string) => void;
}

/**
 * The app as a campaign drives it: its own emulator namespace on a real clock at TIME_SCALE, and
 * the dev host serving the unchanged `src/index.ts`, its task hub in Azurite. `restart()` kills
 * the host as a crash would and starts a new one on the same port, task hub and keys.
 */
export class CampaignHost {
  private current: DevHost | undefined;
  private port = 0;
  private options: StartDevHostOptions | undefined;
  private dir = '';
  private restoreEnv: () => void = () => undefined;
  /** Runs each restarted host picked up from the task hub. */
  readonly resumed: number[] = [];

  private constructor(readonly stack: OfflineStack) {}

  static async start(options: CampaignHostOptions): Promise<CampaignHost> {
    const stack = await createOfflineStack({
      label: options.label,
      clock: { mode: 'real', factor: TIME_SCALE },
      settings: options.namespaceSettings,
      faults: options.faults,
    });
    const host = new CampaignHost(stack);
    host.dir = mkdtempSync(join(tmpdir(), 'reliability-'));
    const env = { ...stack.env, ...options.settings?.(stack) };
    // Also in process.env, so that an activity still running in a killed host reads the same settings.
    const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    host.restoreEnv = () => {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    host.options = {
      entry: join(APP_ROOT, 'src', 'index.ts'),
      port: 0,
      env,
      timeScale: TIME_SCALE,
      keysFile: join(host.dir, 'host-keys.json'),
      log: options.log,
    };
    await host.boot();
    return host;
  }

  get host(): DevHost {
    if (!this.current) throw new Error('the dev host is down (restarting)');
    return this.current;
  }

  /** The host, or undefined while it restarts. */
  get up(): DevHost | undefined {
    return this.current;
  }

  /** As if the process died mid-work; a new host on the same port resumes what was running. */
  async restart(): Promise<DevHost> {
    const dying = this.host;
    this.current = undefined;
    await dying.kill();
    const host = await this.boot();
    this.resumed.push(host.resumed);
    return host;
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
    this.restoreEnv();
    reloadRequiredSettings();
    await this.stack.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async boot(): Promise<DevHost> {
    const clockStart = new Date((await this.stack.admin.clock()).nowMs);
    const host = await startDevHost({ ...this.options!, port: this.port, clockStart });
    this.port = Number(new URL(host.url).port);
    reloadRequiredSettings();
    this.current = host;
    return host;
  }
}
