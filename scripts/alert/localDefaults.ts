import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Where `npm start` and the dev host keep what they generate (git-ignored). */
const LOCAL_DIR = process.env.OFFLINE_STACK_DIR || join(ROOT, '.local');

/** The dev host's default function key, from the keys file it makes on first start. */
export function localFunctionKey(): string | undefined {
  const file = process.env.DEVHOST_KEYS_FILE || join(LOCAL_DIR, 'host-keys.json');
  if (!existsSync(file)) return undefined;
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { functionKeys?: Record<string, string> };
  return keys.functionKeys?.default;
}

/** The capture storage account `npm start` configured (settings file), if it ran. */
export function localStorageAccountId(): string | undefined {
  const file = join(LOCAL_DIR, 'local.settings.offline.json');
  if (!existsSync(file)) return undefined;
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> };
  return settings.Values?.CAPTURE_STORAGE_ACCOUNT_ID || undefined;
}

interface Inventory {
  subscriptions: Array<{
    subscriptionId: string;
    resourceGroups: Array<{ name: string; virtualMachines: Array<{ name: string }> }>;
  }>;
}

/** The first VM of the emulator's inventory (EMULATOR_INVENTORY, or the sample): the local default target. */
export function localDefaultVmId(): string {
  const file = process.env.EMULATOR_INVENTORY || join(ROOT, 'local', 'inventory.sample.json');
  const inventory = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
  for (const subscription of inventory.subscriptions) {
    for (const group of subscription.resourceGroups) {
      const vm = group.virtualMachines[0];
      if (vm) {
        return `/subscriptions/${subscription.subscriptionId}/resourceGroups/${group.name}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;
      }
    }
  }
  throw new RangeError(`the inventory ${file} has no virtual machine; pass --vm`);
}

/** A sample of samples/alerts by name (`network-out-fired`), or a JSON file by path. */
export function readAlertPayload(nameOrPath: string): { source: string; payload: unknown } {
  const sample = join(ROOT, 'samples', 'alerts', `${nameOrPath.replace(/\.json$/, '')}.json`);
  const file = existsSync(nameOrPath) ? nameOrPath : sample;
  if (!existsSync(file)) {
    throw new RangeError(`no file ${nameOrPath} and no sample samples/alerts/${nameOrPath}.json`);
  }
  return { source: file, payload: JSON.parse(readFileSync(file, 'utf8')) as unknown };
}
