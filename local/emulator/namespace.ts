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
};

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
    this.clock = new EmulatorClock(options.clock);
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
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
      await this.captures.advance(this.clock.now());
    });
    this.syncing = run.catch(() => undefined);
    return run;
  }

  updateSettings(patch: Partial<NamespaceSettings>): void {
    const next = { ...this.settings, ...patch };
    for (const [name, value] of Object.entries(next)) {
      if (name !== 'captureFormat' && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw new RangeError(`setting ${name} must be a non-negative number, got ${String(value)}`);
      }
    }
    if (!(next.packetsPerSecond > 0 && next.maxSessionsPerWatcher >= 1)) {
      throw new RangeError('packetsPerSecond must be above 0 and maxSessionsPerWatcher at least 1');
    }
    if (next.captureFormat !== 'pcap' && next.captureFormat !== 'pcapng') {
      throw new TypeError(`captureFormat must be pcap or pcapng, got ${String(next.captureFormat)}`);
    }
    this.settings = next;
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
