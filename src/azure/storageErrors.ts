import { AppError } from '../errors/AppError';
import { isNetworkErrorCode } from './networkErrors';
import { retryAfterMs } from './retryAfter';

interface StorageErrorLike extends Error {
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

/**
 * Classifies a blob storage failure: 404 → BLOB_NOT_FOUND (retriable: Network Watcher uploads
 * the file after the session ends), 401/403 → STORAGE_FORBIDDEN, throttling/5xx/network →
 * STORAGE_UNAVAILABLE. `what` names the blob without any SAS.
 */
export function toStorageError(error: unknown, operation: string, what: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as StorageErrorLike;
  const status = e?.statusCode;
  const details = { operation, blob: what, status, storageCode: e?.code };
  if (status === 404) {
    return new AppError('BLOB_NOT_FOUND', `The capture file ${what} is not in blob storage (yet).`, {
      details,
      cause: error,
    });
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'STORAGE_FORBIDDEN',
      `The app's identity may not ${operation} ${what} (${status} ${e.code ?? ''}). Grant it Storage Blob Data Reader (and Storage Blob Delegator for links) on the capture account.`,
      { details, cause: error },
    );
  }
  const transient =
    status === 408 ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    isNetworkErrorCode(e?.code) ||
    e?.name === 'AbortError';
  if (transient) {
    return new AppError(
      'STORAGE_UNAVAILABLE',
      `Blob storage failed to ${operation} ${what} (${status ?? e?.code ?? e?.name}).`,
      {
        details: { ...details, retryAfterMs: retryAfterMs(e.response?.headers) },
        cause: error,
      },
    );
  }
  return new AppError(
    'INTERNAL_ERROR',
    `Unexpected storage error while trying to ${operation} ${what}: ${String(e?.message ?? error)}`,
    {
      details,
      cause: error,
    },
  );
}
