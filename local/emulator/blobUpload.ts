import { open } from 'node:fs/promises';
import { BlobServiceClient } from '@azure/storage-blob';

/** The container Network Watcher writes capture files into. */
export const CAPTURE_CONTAINER = 'network-watcher-logs';

/**
 * The documented blob name of a capture: lower-cased after the container, named after the session's
 * creation time (UTC), e.g. `subscriptions/…/virtualmachines/vm1/2025/01/31/packetcapture_16_39_41_077.cap`.
 */
export function captureBlobName(
  vm: { subscriptionId: string; resourceGroup: string; name: string },
  createdAtMs: number,
): string {
  const t = new Date(createdAtMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${t.getUTCFullYear()}/${two(t.getUTCMonth() + 1)}/${two(t.getUTCDate())}`;
  const time = `${two(t.getUTCHours())}_${two(t.getUTCMinutes())}_${two(t.getUTCSeconds())}_${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
  return (
    `subscriptions/${vm.subscriptionId}/resourcegroups/${vm.resourceGroup}/providers/microsoft.compute/` +
    `virtualmachines/${vm.name}/${day}/packetcapture_${time}.cap`
  ).toLowerCase();
}

/**
 * Uploads finished capture files with the real storage client, to the Azurite account named by the
 * capture's storageId (account name → connection string).
 */
export class CaptureUploader {
  private readonly clients = new Map<string, BlobServiceClient>();
  private readonly readyContainers = new Set<string>();

  constructor(accounts: Record<string, string>) {
    for (const [name, connectionString] of Object.entries(accounts)) {
      this.clients.set(
        name.toLowerCase(),
        BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 2 } }),
      );
    }
  }

  has(accountName: string): boolean {
    return this.clients.has(accountName.toLowerCase());
  }

  blobUrl(accountName: string, blobName: string): string {
    return this.blob(accountName, blobName).url;
  }

  /**
   * Uploads the file at `sourcePath` (only its first `bytes` bytes when given: a file still being
   * transferred), or an empty blob when it is null.
   */
  async upload(
    accountName: string,
    blobName: string,
    sourcePath: string | null,
    bytes?: number,
  ): Promise<void> {
    const blob = this.blob(accountName, blobName);
    if (!this.readyContainers.has(accountName.toLowerCase())) {
      await this.client(accountName).getContainerClient(CAPTURE_CONTAINER).createIfNotExists();
      this.readyContainers.add(accountName.toLowerCase());
    }
    const headers = { blobHTTPHeaders: { blobContentType: 'application/octet-stream' } };
    if (sourcePath === null) await blob.upload(Buffer.alloc(0), 0, headers);
    else if (bytes === undefined) await blob.uploadFile(sourcePath, headers);
    else await blob.upload(await readPrefix(sourcePath, bytes), bytes, headers);
  }

  private blob(accountName: string, blobName: string) {
    return this.client(accountName).getContainerClient(CAPTURE_CONTAINER).getBlockBlobClient(blobName);
  }

  private client(accountName: string): BlobServiceClient {
    const client = this.clients.get(accountName.toLowerCase());
    if (!client) throw new TypeError(`no Azurite account is configured for storage account ${accountName}`);
    return client;
  }
}

async function readPrefix(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
