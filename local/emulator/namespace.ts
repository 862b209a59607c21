import type { CaptureUploader } from './blobUpload';
import { CaptureStore } from './captureStore';
import { EmulatorClock } from './clock';
import { FaultInjector } from './faults';
import { guidFrom, Inventory, type parseInventory } from './inventory';
import { Operations, type AsyncOperation } from './operations';
import { RequestLog } from './requestLog';
import type { ClockOptions, FaultSet, NamespaceInfo, NamespaceSettings } from './types';

export const DEFAULT_SETTINGS: NamespaceSettings = {
  lroDelayMs: 1000,
  retryAfterSeconds: 1,
  captureStartDelaySeconds: 0,
  captureFormat: 'pcap',
  packetsPerSecond: 50,
  maxSessionsPerWatcher: 10_000,
  seed: 1,
  sessionLimitCounts: 'active',
  uploadDelaySeconds: 0,
  uploadGrowSeconds: 0,
  unstartedCaptureStartTime: null,
  authorizationDelaySeconds: 0,
  forbiddenScopes: [],
};

/** How each setting is checked when a namespace is created or patched. */
const SETTING_CHECKS: { [K in keyof NamespaceSettings]: (value: unknown) => boolean } = {
  lroDelayMs: isNonNegative,
  retryAfterSeconds: isNonNegative,
  captureStartDelaySeconds: isNonNegative,
  captureFormat: (v) => v === 'pcap' || v === 'pcapng',
  packetsPerSecond: (v) => isNonNegative(v) && v > 0,
  maxSessionsPerWatcher: (v) => isNonNegative(v) && v >= 1,
  seed: isNonNegative,
  sessionLimitCounts: (v) => v === 'active' || v === 'all',
  uploadDelaySeconds: isNonNegative,
  uploadGrowSeconds: isNonNegative,
  unstartedCaptureStartTime: (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
  authorizationDelaySeconds: isNonNegative,
  forbiddenScopes: (v) =>
    Array.isArray(v) && v.every((scope) => typeof scope === 'string' && scope.startsWith('/subscriptions/')),
};

const SETTING_EXPECTED: Partial<Record<keyof NamespaceSettings, string>> = {
  captureFormat: 'pcap or pcapng',
  packetsPerSecond: 'a number above 0',
  maxSessionsPerWatcher: 'a number of at least 1',
  sessionLimitCounts: 'active or all',
  unstartedCaptureStartTime: 'an ISO date or null',
  forbiddenScopes: 'a list of resource ids starting with /subscriptions/',
};

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A request carried out later than it arrived (a `late` fault): its client has given up on it. */
interface DeferredRequest {
  dueAtMs: number;
  run: () => Promise<void>;
}

export interface NamespaceOptions {
  name: string;
  inventoryFile: ReturnType<typeof parseInventory>;
  /** The default namespace keeps the inventory's subscription ids; others get ids of their own. */
  keepSubscriptionIds: boolean;
  clock: ClockOptions;
  settings?: Partial<NamespaceSettings>;
  faults?: FaultSet;
  uploader: CaptureUploader;
  tempDir: string;
}

/**
 * An isolated copy of the emulated Azure: its own subscriptions (ids derived from the namespace
 * name), clock, captures, faults and request counts. Test files running in parallel each take one,
 * so advancing a clock or injecting a fault never reaches another file.
 */
export class Namespace {
  readonly name: string;
  inventory!: Inventory;
  clock!: EmulatorClock;
  settings!: NamespaceSettings;
  faults!: FaultInjector;
  readonly operations = new Operations();
  readonly requests = new RequestLog();
  /** Agent installs in progress, by VM id (lower case): the extension name asked for and its operation. */
  readonly agentInstalls = new Map<string, { name: string; operation: AsyncOperation }>();
  readonly uploader: CaptureUploader;
  captures!: CaptureStore;
  /** Emulated time from which role assignments are in effect (see `authorizationDelaySeconds`). */
  authorizedFromMs = 0;
  private deferred: DeferredRequest[] = [];
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly options: NamespaceOptions) {
    this.name = options.name;
    this.uploader = options.uploader;
    this.reset();
  }

  /** Back to the state it was created with: inventory, clock, settings, faults; no captures. */
  reset(): void {
    const { options } = this;
    this.captures?.clear();
    this.operations.clear();
    this.requests.clear();
    this.agentInstalls.clear();
    this.inventory = new Inventory(options.inventoryFile, (id) =>
      options.keepSubscriptionIds ? id : guidFrom(`${options.name}/${id}`.toLowerCase()),
    );
    this.deferred = [];
    this.clock = new EmulatorClock(options.clock);
    this.settings = checkedSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    this.authorizedFromMs = this.clock.now() + this.settings.authorizationDelaySeconds * 1000;
    this.faults = new FaultInjector(this.settings.seed);
    if (options.faults) this.faults.add(options.faults);
    this.captures = new CaptureStore({
      settings: () => this.settings,
      clock: () => this.clock,
      faults: this.faults,
      operations: this.operations,
      uploader: options.uploader,
      requests: this.requests,
      tempDir: options.tempDir,
    });
  }

  /**
   * Completes due operations and brings sessions up to the clock (uploading finished files).
   * Serialized, so concurrent requests never finalize a session twice.
   */
  sync(): Promise<void> {
    const run = this.syncing.then(async () => {
      this.operations.finishDue();
      await this.runDeferred(this.clock.now());
      await this.captures.advance(this.clock.now());
    });
    this.syncing = run.catch(() => undefined);
    return run;
  }

  updateSettings(patch: Partial<NamespaceSettings>): void {
    this.settings = checkedSettings({ ...this.settings, ...patch });
    if (patch.authorizationDelaySeconds !== undefined) {
      this.authorizedFromMs = this.clock.now() + patch.authorizationDelaySeconds * 1000;
    }
  }

  /** Carries out `run` once the clock reaches `afterSeconds` from now (or on a later sync). */
  defer(afterSeconds: number, run: () => Promise<void>): void {
    this.deferred.push({ dueAtMs: this.clock.now() + afterSeconds * 1000, run });
  }

  private async runDeferred(nowMs: number): Promise<void> {
    const due = this.deferred.filter((d) => d.dueAtMs <= nowMs).sort((a, b) => a.dueAtMs - b.dueAtMs);
    this.deferred = this.deferred.filter((d) => d.dueAtMs > nowMs);
    for (const request of due) await request.run();
  }

  info(): NamespaceInfo {
    return {
      name: this.name,
      subscriptions: this.inventory
        .subscriptions()
        .map((s) => ({ id: s.id, inventoryId: s.inventoryId, displayName: s.displayName })),
      storageAccountIds: this.inventory.storageAccountIds(),
      watchers: this.inventory.allWatchers().map(({ id, name, location }) => ({ id, name, location })),
      vms: this.inventory.allVms().map(({ id, name, resourceGroup, location, nicId, privateIps }) => ({
        id,
        name,
        resourceGroup,
        location,
        nicId,
        privateIps: [...privateIps],
      })),
      clock: this.clock.state(),
      settings: { ...this.settings },
    };
  }

  dispose(): void {
    this.captures.clear();
  }
}

function checkedSettings(settings: NamespaceSettings): NamespaceSettings {
  for (const [name, value] of Object.entries(settings) as [keyof NamespaceSettings, unknown][]) {
    const check = SETTING_CHECKS[name];
    if (!check) throw new TypeError(`unknown setting ${name}`);
    if (!check(value)) {
      throw new RangeError(
        `setting ${name} must be ${SETTING_EXPECTED[name] ?? 'a non-negative number'}, got ${JSON.stringify(value)}`,
      );
    }
  }
  return settings;
}
