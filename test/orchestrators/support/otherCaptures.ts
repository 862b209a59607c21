import { BlobServiceClient } from '@azure/storage-blob';
import { networkClient } from '../../support/armClients';
import type { OfflineStack } from '../../support/stack';

const WATCHER_RG = 'NetworkWatcherRG';
const WATCHER = 'NetworkWatcher_westeurope';

/**
 * A capture someone else starts on a VM (portal, script) straight through ARM, not through the
 * app: what a run must join or wait for.
 */
export async function startCaptureOutsideTheApp(
  stack: OfflineStack,
  vm: string,
  name: string,
  timeLimitInSeconds: number,
): Promise<void> {
  await networkClient(stack, stack.subscriptionId).packetCaptures.create(WATCHER_RG, WATCHER, name, {
    target: stack.vmId(vm),
    storageLocation: { storageId: stack.storageAccountId },
    timeLimitInSeconds,
  });
}

export async function captureStatusOutsideTheApp(stack: OfflineStack, name: string) {
  return networkClient(stack, stack.subscriptionId).packetCaptures.getStatus(WATCHER_RG, WATCHER, name);
}

/** A blob of the capture storage (Azurite) by its URL (path style: /account/container/name). */
export function blobAt(stack: OfflineStack, url: string) {
  const service = BlobServiceClient.fromConnectionString(stack.env.CAPTURE_STORAGE_CONNECTION!);
  const [container, ...path] = decodeURIComponent(new URL(url).pathname).split('/').slice(2);
  return service.getContainerClient(container!).getBlobClient(path.join('/'));
}
