import { isValidCaptureName } from '../capture/naming';
import type { CaptureRequest } from '../capture/types';
import { AppError } from '../errors/AppError';
import type { ProblemItem } from '../http/problem';
import type { AllowList } from '../security/allowList';
import { isResourceType, parseArmResourceId, type ArmResourceId } from '../security/armResourceId';
import type { PinnedResources, RawField } from './alertFacts';
import { quote } from './jsonPointer';

type Pinned = Pick<CaptureRequest, 'networkWatcherId' | 'captureName' | 'storageAccountId'>;

export interface PinnedContext {
  vm: ArmResourceId;
  allowList: AllowList;
  /** The configured capture storage account, always an allowed destination. */
  captureStorageAccountId: string;
}

/**
 * Checks what a direct request pins. The watcher must be in the VM's subscription (Network Watcher
 * captures only there); a storage account decides where recorded traffic goes and the app verifies
 * files in the configured account only, so it must be that one (outside the allow-list: 403).
 * @throws AppError CAPTURE_STORAGE_NOT_ALLOWED; other problems are added to `problems`.
 */
export function checkPinnedResources(
  pinned: PinnedResources | undefined,
  context: PinnedContext,
  problems: ProblemItem[],
): Pinned {
  const result: Pinned = {};
  if (pinned === undefined) return result;
  const { vm } = context;
  if (pinned.subscriptionId && String(pinned.subscriptionId.value).toLowerCase() !== vm.subscriptionId) {
    problems.push({
      field: pinned.subscriptionId.field,
      detail: `${quote(pinned.subscriptionId.value)} is not the subscription of targetVM (${vm.subscriptionId})`,
    });
  }
  if (pinned.networkWatcher) {
    const { resourceGroup, name } = pinned.networkWatcher;
    if (!resourceGroup || !name) {
      problems.push({
        field: (resourceGroup ?? name)!.field,
        detail: 'networkWatcherResourceGroup and networkWatcherName go together',
      });
    } else {
      const id = `/subscriptions/${vm.subscriptionId}/resourceGroups/${String(resourceGroup.value)}/providers/Microsoft.Network/networkWatchers/${String(name.value)}`;
      const parsed = parseArmResourceId(id);
      // A `/` inside either value would shift the segments; only the plain two-name shape is taken.
      const plain =
        parsed.ok && parsed.value.names.length === 1 && parsed.value.resourceGroup === resourceGroup.value;
      if (parsed.ok && plain) result.networkWatcherId = parsed.value.canonical;
      else {
        const reason = parsed.ok ? 'names must not contain "/"' : parsed.reason;
        problems.push({ field: name.field, detail: `the network watcher id is not valid: ${reason}` });
      }
    }
  }
  if (pinned.captureName) {
    const name = String(pinned.captureName.value);
    if (isValidCaptureName(name)) result.captureName = name;
    else {
      problems.push({
        field: pinned.captureName.field,
        detail: `${quote(name)} is not a capture name (1-80 letters, digits, "_", "." or "-"; starts with a letter or digit)`,
      });
    }
  }
  if (pinned.storageAccountId) {
    const storage = checkStorage(pinned.storageAccountId, context, problems);
    if (storage !== undefined) result.storageAccountId = storage;
  }
  return result;
}

function checkStorage(raw: RawField, context: PinnedContext, problems: ProblemItem[]): string | undefined {
  const parsed = parseArmResourceId(String(raw.value));
  if (!parsed.ok || !isResourceType(parsed.value, 'Microsoft.Storage/storageAccounts')) {
    problems.push({
      field: raw.field,
      detail: `${quote(raw.value)} is not a storage account id${parsed.ok ? '' : `: ${parsed.reason}`}`,
    });
    return undefined;
  }
  const configured = parseArmResourceId(context.captureStorageAccountId);
  if (configured.ok && configured.value.key === parsed.value.key) return configured.value.canonical;
  if (!context.allowList.allows(parsed.value)) {
    throw new AppError(
      'CAPTURE_STORAGE_NOT_ALLOWED',
      `${raw.field}: captures may only be written to the configured storage account (CAPTURE_STORAGE_ACCOUNT_ID).`,
      { details: { field: raw.field } },
    );
  }
  // Inside the allow-list, yet the app reads, verifies and links capture files in the configured
  // account only: a capture written elsewhere would run its whole time limit and then fail.
  problems.push({
    field: raw.field,
    detail: `${quote(raw.value)} is not the configured capture storage account (CAPTURE_STORAGE_ACCOUNT_ID); omit ${raw.field.slice(1)} or name that account`,
  });
  return undefined;
}
