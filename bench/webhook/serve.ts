/**
 * The app under load for `npm run bench:webhook`, in processes of their own so that neither the
 * load generator nor the emulated Azure shares the app's event loop:
 *   tsx serve.ts stack <VMs>          Azurite and the Network Watcher emulator, VMs added for the benchmark;
 *                                     prints {appSettings, vmIds}
 *   tsx serve.ts host <settings.json> the dev host serving the unchanged app with those settings;
 *                                     prints {url, functionKey, systemKey}
 * Each prints one JSON line once ready, then runs until SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevHost } from '../../local/devhost';
import { startOfflineStack } from '../../local/stack';

export interface ServedStack {
  appSettings: Record<string, string>;
  vmIds: string[];
}

export interface ServedHost {
  url: string;
  functionKey: string;
  systemKey: string;
}

async function serveStack(vmCount: number, dir: string): Promise<() => Promise<void>> {
  const stack = await startOfflineStack({ standardPorts: false, localDir: dir });
  const added = await stack.emulator.admin.upsertVms(
    Array.from({ length: vmCount }, (_, i) => ({
      name: `vm-bench-${String(i).padStart(4, '0')}`,
      resourceGroup: 'rg-web',
      location: 'westeurope',
      privateIps: [`10.${20 + Math.floor(i / 250)}.${i % 250}.4`],
      packetsPerSecond: 20,
    })),
  );
  const served: ServedStack = { appSettings: stack.appSettings, vmIds: added.map((vm) => vm.id) };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  return () => stack.stop();
}

async function serveHost(settingsFile: string, dir: string): Promise<() => Promise<void>> {
  const env = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, string>;
  // Logs go nowhere: the benchmark measures the app, not a terminal.
  const host = await startDevHost({
    port: 0,
    env,
    keysFile: join(dir, 'host-keys.json'),
    log: () => undefined,
  });
  const served: ServedHost = { url: host.url, functionKey: host.functionKey, systemKey: host.systemKey };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  return () => host.kill();
}

async function main(): Promise<void> {
  const [role, argument = ''] = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
  let stop: () => Promise<void>;
  if (role === 'stack' && Number.isInteger(Number(argument)) && Number(argument) > 0) {
    stop = await serveStack(Number(argument), dir);
  } else if (role === 'host' && argument !== '') {
    stop = await serveHost(argument, dir);
  } else {
    throw new TypeError('usage: serve.ts stack <number of VMs> | serve.ts host <settings.json>');
  }
  process.once('SIGTERM', () => {
    void stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
