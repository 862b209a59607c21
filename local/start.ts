import { devHostExtension, timeScaleFromEnv } from './devhost';
import type { FaultSet, NamespaceSettings } from './emulator/types';
import { describeStack, startOfflineStack } from './stack';

/**
 * `npm start`: the offline stack (Azurite, the emulator, the dev host serving the app) in real
 * time until Ctrl-C. Optional environment: DEVHOST_TIME_SCALE (speed-up of durable timers and
 * capture time alike; OFFLINE_CLOCK_FACTOR is its older name), EMULATOR_INVENTORY (inventory file),
 * EMULATOR_FAULTS (JSON fault set, see docs), EMULATOR_SETTINGS (JSON namespace settings: the Azure
 * behaviour modes, see docs), EMULATOR_LOG=1 (one line per ARM request),
 * OFFLINE_STACK_DIR (where the certificate, settings and keys files go; default .local/).
 */
async function main(): Promise<void> {
  const clockFactor = timeScaleFromEnv();
  const stack = await startOfflineStack({
    clockFactor,
    localDir: process.env.OFFLINE_STACK_DIR || undefined,
    inventoryPath: process.env.EMULATOR_INVENTORY || undefined,
    faults: process.env.EMULATOR_FAULTS ? (JSON.parse(process.env.EMULATOR_FAULTS) as FaultSet) : undefined,
    settings: process.env.EMULATOR_SETTINGS
      ? (JSON.parse(process.env.EMULATOR_SETTINGS) as Partial<NamespaceSettings>)
      : undefined,
    log: process.env.EMULATOR_LOG === '1' ? (line) => console.log(`[emulator] ${line}`) : undefined,
    extensions: [devHostExtension({ log: (line) => console.log(`[host] ${line}`) })],
  });
  for (const line of describeStack(stack)) console.log(line);
  console.log('\nOffline stack ready. Ctrl-C stops it.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the offline stack...`);
    stack.stop().then(
      () => {
        console.log('Offline stack stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
