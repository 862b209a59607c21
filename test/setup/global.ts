import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../local/azurite';
import { startEmulator } from '../../local/emulator';
import type { OfflineStackDetails } from '../support/offlineStackDetails';

/**
 * Starts one Azurite and one Network Watcher emulator for the whole run. Test files do not share
 * state through them: each takes its own emulator namespace (test/support/stack.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-stack-'));
  const azurite = await startAzurite();
  const certPath = join(dir, 'emulator-cert.pem');
  const emulator = await startEmulator({
    storageAccounts: { [azurite.accountName]: azurite.connectionString },
    clock: { mode: 'manual' },
    settings: { lroDelayMs: 0, retryAfterSeconds: 0 },
    certPath,
  }).catch(async (error: unknown) => {
    await azurite.stop();
    throw error;
  });
  const details: OfflineStackDetails = {
    emulatorUrl: emulator.url,
    certPem: emulator.certPem,
    certPath,
    scratchDir: mkdtempSync(join(dir, 'scratch-')),
    azurite: {
      blobEndpoint: azurite.blobEndpoint,
      queueEndpoint: azurite.queueEndpoint,
      tableEndpoint: azurite.tableEndpoint,
      connectionString: azurite.connectionString,
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
    },
  };
  project.provide('offlineStack', details);
  return async () => {
    await emulator.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
