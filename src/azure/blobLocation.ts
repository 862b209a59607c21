import { AppError } from '../errors/AppError';

/** A blob named by its URL, split the way the storage SDK addresses it. */
export interface BlobLocation {
  /** Scheme and host (plus the account segment for path-style URLs such as Azurite's). */
  serviceUrl: string;
  accountName: string;
  container: string;
  /** Decoded blob name (may contain `/`). */
  blobName: string;
  /** The blob URL without query or fragment: safe to log and to show. */
  url: string;
}

/** Hosts whose URLs carry the account as the first path segment (emulators). */
function isPathStyle(url: URL): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|\d+\.\d+\.\d+\.\d+)$/.test(url.hostname) || url.port !== '';
}

/**
 * Splits a blob URL (Network Watcher's `storagePath`) and checks it points into the expected
 * storage account, so that the app never reads or signs a blob elsewhere.
 * @throws AppError BLOB_LOCATION_INVALID
 */
export function parseBlobLocation(storagePath: string, expectedAccount: string): BlobLocation {
  const invalid = (why: string) =>
    new AppError('BLOB_LOCATION_INVALID', `The capture storage path ${redactQuery(storagePath)} ${why}.`, {
      details: { storagePath: redactQuery(storagePath), expectedAccount },
    });
  let url: URL;
  try {
    url = new URL(storagePath);
  } catch {
    throw invalid('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('is not an http(s) URL');
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pathStyle = isPathStyle(url);
  const accountName = pathStyle ? segments.shift() : url.hostname.split('.')[0];
  const [container, ...rest] = segments;
  if (!accountName || !container || rest.length === 0)
    throw invalid('does not name an account, a container and a blob');
  if (accountName.toLowerCase() !== expectedAccount.toLowerCase()) {
    throw invalid(
      `is in storage account ${accountName}, not in the capture account ${expectedAccount} (CAPTURE_STORAGE_ACCOUNT_ID)`,
    );
  }
  const serviceUrl = pathStyle ? `${url.origin}/${accountName}` : url.origin;
  return {
    serviceUrl,
    accountName,
    container,
    blobName: rest.join('/'),
    url: `${url.origin}${url.pathname}`,
  };
}

/** The storage account name of a `Microsoft.Storage/storageAccounts` resource id. */
export function accountNameOf(storageAccountId: string): string {
  const name = storageAccountId.split('/').filter(Boolean).at(-1);
  if (!name) throw new TypeError(`not a storage account id: ${storageAccountId}`);
  return name;
}

function redactQuery(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}
