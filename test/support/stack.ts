import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { EmulatorAdminClient } from '../../local/emulator/adminClient';
import type { ClockOptions, FaultSet, NamespaceInfo, NamespaceSettings } from '../../local/emulator/types';
import { resetConfig } from '../../src/config';
import type { OfflineStackDetails } from './offlineStackDetails';

export interface OfflineStackOptions {
  /** Readable prefix of the namespace name (a random suffix keeps runs apart). */
  label?: string;
  /** Default: a manual clock starting now. */
  clock?: ClockOptions;
  /** Default: operations complete at once, Retry-After 0, captures start at once. */
  settings?: Partial<NamespaceSettings>;
  faults?: FaultSet;
}

export interface OfflineStack {
  /** The app settings as they would be in Azure, also put into process.env. */
  env: Record<string, string>;
  /** Admin client bound to this stack's own namespace. */
  admin: EmulatorAdminClient;
  azurite: OfflineStackDetails['azurite'];
  emulatorUrl: string;
  certPem: string;
  certPath: string;
  namespace: NamespaceInfo;
  /** The subscription inside ALLOWED_SCOPES, and the one outside it. */
  subscriptionId: string;
  outsideSubscriptionId: string;
  storageAccountId: string;
  /** Resource id of a VM of the inventory by name. */
  vmId(name: string): string;
  /** Resource id of the watcher of a region in the allowed subscription. */
  watcherId(location: string): string;
  /** Deletes the namespace and restores process.env. */
  dispose(): Promise<void>;
}

const TEST_SETTINGS: Partial<NamespaceSettings> = {
  lroDelayMs: 0,
  retryAfterSeconds: 0,
  captureStartDelaySeconds: 0,
};

/**
 * Gives the calling test file its own namespace of the shared emulator (own subscriptions, clock,
 * captures, faults, request counts) and sets the app settings in process.env for it. Files run in
 * separate workers, so each has its own process.env; parallel files never see each other's state.
 */
export async function createOfflineStack(options: OfflineStackOptions = {}): Promise<OfflineStack> {
  const details = inject('offlineStack');
  const root = new EmulatorAdminClient({ url: details.emulatorUrl, certPem: details.certPem });
  const name = `${options.label ?? 'test'}-${randomUUID().slice(0, 8)}`;
  const { client: admin, info } = await root.createNamespace({
    name,
    clock: options.clock ?? { mode: 'manual', startTime: Math.floor(Date.now() / 1000) * 1000 },
    settings: { ...TEST_SETTINGS, ...options.settings },
    faults: options.faults,
  });
  const [allowed, outside] = info.subscriptions;
  const storageAccountId = info.storageAccountIds[0];
  if (!allowed || !outside || !storageAccountId) {
    throw new TypeError('the inventory must have two subscriptions and a storage account for the test stack');
  }
  const env: Record<string, string> = {
    ARM_ENDPOINT: details.emulatorUrl,
    AZURE_CREDENTIAL_MODE: 'emulator',
    EMULATOR_CA_CERT: details.certPath,
    CAPTURE_STORAGE_ACCOUNT_ID: storageAccountId,
    CAPTURE_STORAGE_CONNECTION: details.azurite.connectionString,
    ALLOWED_SCOPES: `/subscriptions/${allowed.id}`,
    AzureWebJobsStorage: details.azurite.connectionString,
    DURABLE_TASK_HUB: `t${name.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 50),
  };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  resetConfig();
  return {
    env,
    admin,
    azurite: details.azurite,
    emulatorUrl: details.emulatorUrl,
    certPem: details.certPem,
    certPath: details.certPath,
    namespace: info,
    subscriptionId: allowed.id,
    outsideSubscriptionId: outside.id,
    storageAccountId,
    vmId: (vmName) => {
      const vm = info.vms.find((v) => v.name.toLowerCase() === vmName.toLowerCase());
      if (!vm)
        throw new RangeError(
          `no VM ${vmName} in the inventory; VMs added later: use the ids upsertVms returns`,
        );
      return vm.id;
    },
    watcherId: (location) => {
      const watcher = info.watchers.find((w) => w.location === location && w.id.includes(allowed.id));
      if (!watcher) throw new RangeError(`no network watcher in ${location}`);
      return watcher.id;
    },
    dispose: async () => {
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetConfig();
      await admin.deleteNamespace();
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks that create and dispose an offline stack for the current file
 * (or describe block); the returned object is usable inside tests and later hooks.
 */
export function useOfflineStack(options: OfflineStackOptions = {}): OfflineStack {
  let current: OfflineStack | undefined;
  beforeAll(async () => {
    current = await createOfflineStack(options);
  });
  afterAll(async () => {
    await current?.dispose();
    current = undefined;
  });
  const stack = (): OfflineStack => {
    if (!current)
      throw new Error('useOfflineStack(): the stack exists only inside tests and hooks after beforeAll');
    return current;
  };
  return {
    get env() {
      return stack().env;
    },
    get admin() {
      return stack().admin;
    },
    get azurite() {
      return stack().azurite;
    },
    get emulatorUrl() {
      return stack().emulatorUrl;
    },
    get certPem() {
      return stack().certPem;
    },
    get certPath() {
      return stack().certPath;
    },
    get namespace() {
      return stack().namespace;
    },
    get subscriptionId() {
      return stack().subscriptionId;
    },
    get outsideSubscriptionId() {
      return stack().outsideSubscriptionId;
    },
    get storageAccountId() {
      return stack().storageAccountId;
    },
    vmId: (name) => stack().vmId(name),
    watcherId: (location) => stack().watcherId(location),
    dispose: () => stack().dispose(),
  };
}
