import { accountNameOf, parseBlobLocation, type BlobLocation } from './blobLocation';
import { getBlobServiceClient } from './clients';
import { storageSdk } from './lazySdk';
import { toStorageError } from './storageErrors';
import { getConfig, type Config } from '../config';

export interface DownloadLink {
  /** The blob URL with a read-only SAS: a secret, never to be logged. */
  url: string;
  expiresOn: string;
  /** `userDelegation` in Azure, `accountKey` with Azurite's connection string. */
  kind: 'userDelegation' | 'accountKey';
}

/** Signatures start a little in the past so that a client clock running behind can use them. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A read-only, short-lived link to one blob. In Azure it is signed with a user delegation key
 * (no account key exists in the app); offline, Azurite's account key signs it.
 */
export async function createDownloadLink(
  location: BlobLocation,
  options: { ttlMinutes: number; now?: Date; config?: Config },
): Promise<DownloadLink> {
  const config = options.config ?? getConfig();
  const now = options.now ?? new Date();
  const startsOn = new Date(now.getTime() - CLOCK_SKEW_MS);
  const expiresOn = new Date(now.getTime() + options.ttlMinutes * 60_000);
  const { BlobSASPermissions, SASProtocol, generateBlobSASQueryParameters } = storageSdk();
  const permissions = BlobSASPermissions.parse('r');
  const service = getBlobServiceClient(location.serviceUrl, config);
  const blob = service.getContainerClient(location.container).getBlobClient(location.blobName);
  try {
    if (config.CAPTURE_STORAGE_CONNECTION) {
      const url = await blob.generateSasUrl({
        permissions,
        startsOn,
        expiresOn,
        // Azurite serves plain http; a real account's link stays https-only.
        protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
      });
      return { url, expiresOn: expiresOn.toISOString(), kind: 'accountKey' };
    }
    const key = await service.getUserDelegationKey(startsOn, expiresOn);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: location.container,
        blobName: location.blobName,
        permissions,
        startsOn,
        expiresOn,
        protocol: SASProtocol.Https,
      },
      key,
      location.accountName,
    ).toString();
    return { url: `${blob.url}?${sas}`, expiresOn: expiresOn.toISOString(), kind: 'userDelegation' };
  } catch (error) {
    throw toStorageError(error, 'sign a download link for', location.url);
  }
}

/**
 * A download link to a blob of the capture account, named by its URL (a report's `file.url`),
 * valid DOWNLOAD_LINK_TTL_MINUTES. A URL into any other account is refused, never signed.
 * @throws AppError BLOB_LOCATION_INVALID, or a storage error from signing.
 */
export async function linkToCaptureBlob(
  blobUrl: string,
  options: { now?: Date; config?: Config } = {},
): Promise<{ location: BlobLocation; link: DownloadLink }> {
  const config = options.config ?? getConfig();
  const location = parseBlobLocation(blobUrl, accountNameOf(config.CAPTURE_STORAGE_ACCOUNT_ID));
  const link = await createDownloadLink(location, {
    ttlMinutes: config.DOWNLOAD_LINK_TTL_MINUTES,
    config,
    ...(options.now && { now: options.now }),
  });
  return { location, link };
}
