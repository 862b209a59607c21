import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOrFree, startAzurite, type AzuriteInstance } from './azurite';
import { startEmulator, type RunningEmulator } from './emulator';
import type { FaultSet, NamespaceSettings } from './emulator/types';

/** Where `npm start` keeps what it generates (git-ignored): the emulator certificate, the settings file. */
export const DEFAULT_LOCAL_DIR = join(__dirname, '..', '.local');

export interface StackComponent {
  name: string;
  /** Lines telling where it listens (no secrets). */
  describe(): string[];
  stop(): Promise<void>;
}

/** Something that joins the stack once Azurite and the emulator run (the dev host, for one). */
export type StackExtension = (stack: OfflineStack) => Promise<StackComponent>;

export interface OfflineStackOptions {
  /** Emulated seconds per real second for capture sessions (1 = real time). */
  clockFactor?: number;
  inventoryPath?: string;
  faults?: FaultSet;
  settings?: Partial<NamespaceSettings>;
  /** Folder for the certificate and the settings file. Default: .local/ at the repository root. */
  localDir?: string;
  /** Try Azurite's standard ports (10000-10002) and 8443 for the emulator first. Default true. */
  standardPorts?: boolean;
  extensions?: StackExtension[];
  log?: (line: string) => void;
}

export interface OfflineStack {
  azurite: AzuriteInstance;
  emulator: RunningEmulator;
  /** The app settings that point the app at this stack (as local.settings.json Values). */
  appSettings: Record<string, string>;
  /** The file those settings were written to, in local.settings.json format. */
  settingsPath: string;
  components: StackComponent[];
  stop(): Promise<void>;
}

/**
 * Starts Azurite and the Network Watcher emulator (sample inventory, default namespace, real or
 * accelerated clock), writes the emulator certificate and the app settings under .local/, then
 * starts the extensions. `stop()` stops everything in reverse order.
 */
export async function startOfflineStack(options: OfflineStackOptions = {}): Promise<OfflineStack> {
  const standard = options.standardPorts ?? true;
  const localDir = options.localDir ?? DEFAULT_LOCAL_DIR;
  mkdirSync(localDir, { recursive: true });
  const azurite = await startAzurite({
    preferredPorts: standard ? { blob: 10000, queue: 10001, table: 10002 } : undefined,
  });
  const components: StackComponent[] = [];
  const stopAll = async () => {
    for (const component of components.reverse()) await component.stop();
    await azurite.stop();
  };
  try {
    const certPath = join(localDir, 'emulator-cert.pem');
    const emulator = await startEmulator({
      port: standard ? await portOrFree(8443) : 0,
      inventory: options.inventoryPath,
      storageAccounts: { [azurite.accountName]: azurite.connectionString },
      clock: { mode: 'real', factor: options.clockFactor ?? 1 },
      settings: { captureStartDelaySeconds: 5, ...options.settings },
      faults: options.faults,
      certPath,
      log: options.log,
    });
    components.push({
      name: 'Network Watcher emulator',
      describe: () => [`Network Watcher emulator  ${emulator.url}  (admin API: ${emulator.url}/_admin)`],
      stop: () => emulator.stop(),
    });
    const info = await emulator.admin.info();
    const subscription = info.subscriptions[0]?.id ?? '';
    const appSettings: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      CAPTURE_STORAGE_ACCOUNT_ID: info.storageAccountIds[0] ?? '',
      CAPTURE_STORAGE_CONNECTION: azurite.connectionString,
      ALLOWED_SCOPES: `/subscriptions/${subscription}`,
      ARM_ENDPOINT: emulator.url,
      AZURE_CREDENTIAL_MODE: 'emulator',
      EMULATOR_CA_CERT: certPath,
    };
    const settingsPath = join(localDir, 'local.settings.offline.json');
    writeFileSync(settingsPath, `${JSON.stringify({ IsEncrypted: false, Values: appSettings }, null, 2)}\n`);
    const stack: OfflineStack = { azurite, emulator, appSettings, settingsPath, components, stop: stopAll };
    for (const extension of options.extensions ?? []) components.push(await extension(stack));
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** What `npm start` prints: where each part listens and the settings, connection strings by name only. */
export function describeStack(stack: OfflineStack): string[] {
  const { azurite } = stack;
  const shown = Object.entries(stack.appSettings).map(([name, value]) =>
    value === azurite.connectionString
      ? `  ${name}=<Azurite connection string, account ${azurite.accountName}>`
      : `  ${name}=${value}`,
  );
  return [
    `Azurite                   blob ${azurite.blobEndpoint}  queue ${azurite.queueEndpoint}  table ${azurite.tableEndpoint}`,
    ...stack.components.flatMap((c) => c.describe()),
    '',
    `App settings (full values in ${stack.settingsPath}):`,
    ...shown,
  ];
}
