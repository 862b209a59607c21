import { z } from 'zod';
import { accountNameOf, parseBlobLocation } from '../azure/blobLocation';
import { getBlobServiceClient } from '../azure/clients';
import { toStorageError } from '../azure/storageErrors';
import { isSettled, type BlobLook } from '../capture/uploadWait';
import { getConfig } from '../config';
import { defineActivity } from './activityResult';
import { instanceIdSchema, vmIdSchema } from './schemas';

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vmId: vmIdSchema.optional(),
  /** `storageLocation.storagePath` of the capture. */
  storagePath: z.string().min(1),
  /** What the run's previous look saw, if it saw the file. */
  previous: z.object({ size: z.number().int().min(0), etag: z.string() }).optional(),
});

export type ObserveCaptureBlobOutput =
  | { present: false }
  | (BlobLook & {
      present: true;
      lastModified?: string;
      /** Complete: unchanged since the previous look, or untouched for long (see isSettled). */
      settled: boolean;
    });

/**
 * One look at the capture file in storage: absent, or present with its length, ETag and the age
 * of its last change. The file appears some time after the session ends and may be visible while
 * it still grows; the run looks again until it settles (capture/uploadWait). Read only.
 */
export const observeCaptureBlob = defineActivity({
  name: 'observeCaptureBlob',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
  run: async ({ storagePath, previous }, log): Promise<ObserveCaptureBlobOutput> => {
    const location = parseBlobLocation(storagePath, accountNameOf(getConfig().CAPTURE_STORAGE_ACCOUNT_ID));
    const blob = getBlobServiceClient(location.serviceUrl)
      .getContainerClient(location.container)
      .getBlobClient(location.blobName);
    let properties;
    try {
      properties = await blob.getProperties();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        log.info('blob.absent', { blob: location.url });
        return { present: false };
      }
      throw toStorageError(error, 'read', location.url);
    }
    const look: BlobLook = {
      size: properties.contentLength ?? 0,
      etag: properties.etag ?? '',
      ...(properties.lastModified &&
        properties.date && {
          ageSeconds: Math.max(0, (properties.date.getTime() - properties.lastModified.getTime()) / 1000),
        }),
    };
    const settled = isSettled(look, previous);
    log.info('blob.observed', { blob: location.url, size: look.size, settled });
    return {
      present: true,
      ...look,
      ...(properties.lastModified && { lastModified: properties.lastModified.toISOString() }),
      settled,
    };
  },
});
