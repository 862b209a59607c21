import { badRequest } from './armError';
import { normalizeFilters, type CaptureFilterInput } from './filters';
import type { Inventory, VmRecord, WatcherRecord } from './inventory';
import { parseStorageAccountId, parseVmId } from './resourceIds';

const MAX_UINT32 = 4294967295;
export const MAX_TIME_LIMIT_SECONDS = 18000;
const DEFAULT_TOTAL_BYTES = 1073741824;

/** A validated create request; the `properties` echoed back keep what the caller sent. */
export interface CaptureSpec {
  vm: VmRecord;
  storageAccountName?: string;
  /** The limits in force: 0 means "none" for bytes (the maximum) and the maximum for time. */
  snapLength: number;
  totalBytesLimit: number;
  timeLimitSeconds: number;
  filters: CaptureFilterInput[];
  properties: Record<string, unknown>;
}

export interface CaptureRequestContext {
  subscriptionId: string;
  watcher: WatcherRecord;
  inventory: Inventory;
  hasStorageAccount: (name: string) => boolean;
}

/** Validates a packet capture PUT body as the service would; ARM 400 errors name the faulty property. */
export function parseCaptureRequest(body: unknown, ctx: CaptureRequestContext): CaptureSpec {
  const properties = objectAt(objectAt(body, 'request body').properties, 'properties');
  const vm = resolveTarget(properties.target, ctx);
  const targetType = properties.targetType ?? 'AzureVM';
  if (targetType !== 'AzureVM') {
    throw badRequest(
      `properties.targetType '${String(targetType)}' is not supported by the emulator (AzureVM only).`,
      'UnsupportedTargetResourceId',
    );
  }
  const bytesPerPacket = integerAt(properties, 'bytesToCapturePerPacket', 0, MAX_UINT32, 0);
  const totalBytes = integerAt(properties, 'totalBytesPerSession', 0, MAX_UINT32, DEFAULT_TOTAL_BYTES);
  const timeLimit = integerAt(
    properties,
    'timeLimitInSeconds',
    0,
    MAX_TIME_LIMIT_SECONDS,
    MAX_TIME_LIMIT_SECONDS,
  );
  if (properties.continuousCapture === true) {
    throw badRequest('properties.continuousCapture is not supported by the emulator; leave it unset.');
  }
  const storageAccountName = checkStorageLocation(properties.storageLocation, vm, ctx);
  const filters = normalizeFilters(properties.filters);
  return {
    vm,
    storageAccountName,
    snapLength: bytesPerPacket === 0 ? 262144 : bytesPerPacket,
    totalBytesLimit: totalBytes === 0 ? MAX_UINT32 : totalBytes,
    timeLimitSeconds: timeLimit === 0 ? MAX_TIME_LIMIT_SECONDS : timeLimit,
    filters,
    properties: {
      ...properties,
      target: vm.id,
      targetType: 'AzureVM',
      bytesToCapturePerPacket: bytesPerPacket,
      totalBytesPerSession: totalBytes,
      timeLimitInSeconds: timeLimit,
      filters,
    },
  };
}

function resolveTarget(target: unknown, ctx: CaptureRequestContext): VmRecord {
  if (typeof target !== 'string' || target.trim() === '') {
    throw badRequest('properties.target is required: the resource id of the virtual machine to capture on.');
  }
  const parsed = parseVmId(target);
  if (!parsed) {
    throw badRequest(
      `properties.target '${target}' is not a virtual machine resource id.`,
      'UnsupportedTargetResourceId',
    );
  }
  const vm =
    parsed.subscriptionId.toLowerCase() === ctx.subscriptionId.toLowerCase()
      ? ctx.inventory.findVm(target)
      : undefined;
  if (!vm) {
    throw badRequest(
      `Resource ${target} referenced by the packet capture was not found. Make sure it exists in subscription ${ctx.subscriptionId}.`,
      'InvalidResourceReference',
    );
  }
  if (vm.location !== ctx.watcher.location) {
    throw badRequest(
      `Resource ${vm.id} is in region ${vm.location} but network watcher ${ctx.watcher.name} is in ${ctx.watcher.location}; both must be in the same region.`,
      'InvalidResourceReference',
    );
  }
  return vm;
}

function checkStorageLocation(raw: unknown, vm: VmRecord, ctx: CaptureRequestContext): string | undefined {
  const location = objectAt(raw, 'properties.storageLocation');
  const { storageId, filePath, storagePath } = location;
  if (storagePath !== undefined && storagePath !== null) {
    throw badRequest('properties.storageLocation.storagePath is filled in by the service; leave it unset.');
  }
  if (filePath !== undefined && filePath !== null) {
    if (typeof filePath !== 'string' || filePath === '')
      throw badRequest('properties.storageLocation.filePath must be a path.');
    if (vm.os === 'Linux' && !filePath.startsWith('/var/captures')) {
      throw badRequest(
        `properties.storageLocation.filePath '${filePath}' must start with /var/captures on Linux.`,
      );
    }
  }
  if (storageId === undefined || storageId === null) {
    if (filePath === undefined || filePath === null) {
      throw badRequest(
        'properties.storageLocation needs storageId (a storage account) or filePath (on the VM).',
      );
    }
    return undefined;
  }
  const account = typeof storageId === 'string' ? parseStorageAccountId(storageId) : undefined;
  if (!account)
    throw badRequest(
      `properties.storageLocation.storageId '${String(storageId)}' is not a storage account resource id.`,
    );
  if (!ctx.hasStorageAccount(account.name)) {
    throw badRequest(
      `Storage account ${String(storageId)} referenced by the packet capture was not found.`,
      'InvalidResourceReference',
    );
  }
  return account.name;
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(`${where} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function integerAt(
  properties: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = properties[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(
      `properties.${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
