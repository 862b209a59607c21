import { asciiLower, isResourceType, parseArmResourceId } from '../../src/security/armResourceId';

export interface RetargetOptions {
  /** The VM every virtual machine id of the payload is pointed at. */
  vmId: string;
  /** The storage account every storage account id is pointed at (a direct request may pin one). */
  storageAccountId?: string;
}

/**
 * A copy of a sample alert aimed at another VM: every VM id becomes `vmId` (lower-cased where the
 * sample had it lower-cased, as Azure sends it), every storage account id becomes
 * `storageAccountId`, and the samples' subscription becomes the VM's wherever else it appears
 * (alert ids, a direct request's `subscriptionId`, workspace scopes).
 * @throws TypeError when `vmId` or `storageAccountId` is not such a resource id.
 */
export function retargetAlert(payload: unknown, options: RetargetOptions): unknown {
  const vm = parseArmResourceId(options.vmId);
  if (!vm.ok || !isResourceType(vm.value, 'Microsoft.Compute/virtualMachines')) {
    throw new TypeError(`--vm must be a virtual machine resource id, got ${options.vmId}`);
  }
  if (options.storageAccountId !== undefined) {
    const storage = parseArmResourceId(options.storageAccountId);
    if (!storage.ok || !isResourceType(storage.value, 'Microsoft.Storage/storageAccounts')) {
      throw new TypeError(`not a storage account resource id: ${options.storageAccountId}`);
    }
  }
  const sampleSubscriptions = new Set<string>();
  collectVmSubscriptions(payload, sampleSubscriptions);
  const replace = (text: string): string => {
    const id = parseArmResourceId(text);
    if (id.ok && isResourceType(id.value, 'Microsoft.Compute/virtualMachines')) {
      return text === asciiLower(text) ? asciiLower(vm.value.canonical) : vm.value.canonical;
    }
    if (id.ok && options.storageAccountId && isResourceType(id.value, 'Microsoft.Storage/storageAccounts')) {
      return options.storageAccountId;
    }
    let result = text;
    for (const subscription of sampleSubscriptions) {
      result = result.replace(new RegExp(subscription, 'gi'), vm.value.subscriptionId);
    }
    return result;
  };
  return mapStrings(payload, replace);
}

function collectVmSubscriptions(value: unknown, into: Set<string>): void {
  mapStrings(value, (text) => {
    const id = parseArmResourceId(text);
    if (id.ok && isResourceType(id.value, 'Microsoft.Compute/virtualMachines'))
      into.add(id.value.subscriptionId);
    return text;
  });
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}
