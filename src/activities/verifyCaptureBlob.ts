import type { Readable } from 'node:stream';
import type { BlobClient, BlockBlobClient } from '@azure/storage-blob';
import { z } from 'zod';
import { accountNameOf, parseBlobLocation, type BlobLocation } from '../azure/blobLocation';
import { getBlobServiceClient } from '../azure/clients';
import { toStorageError } from '../azure/storageErrors';
import { summaryBlobName, type CaptureAnalyser } from '../capture/analysis';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import {
  SNIFF_BYTES,
  sniffCaptureFormat,
  summarizeCapture,
  type CaptureSummary,
  type SniffedFormat,
} from '../pcap';
import type { InvocationLog } from '../runtime/invocationLog';
import { defineActivity } from './activityResult';
import { instanceIdSchema, vmIdSchema } from './schemas';

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vmId: vmIdSchema.optional(),
  /** `storageLocation.storagePath` of the capture. */
  storagePath: z.string().min(1),
  /**
   * The version (ETag) the run saw settle: read only that one. A file that changed since is still
   * being written, and the run goes back to waiting for it.
   */
  etag: z.string().min(1).optional(),
});

export interface CaptureBlobRef {
  /** Blob URL without SAS. */
  url: string;
  accountName: string;
  container: string;
  name: string;
}

export interface VerifyCaptureBlobOutput {
  blob: CaptureBlobRef;
  size: number;
  lastModified?: string;
  format: SniffedFormat;
  /** Present when an analyser ran (now, or on an earlier attempt for the same file). */
  summary?: CaptureSummary;
  summaryBlob?: CaptureBlobRef;
  /** Why there is no summary although an analyser ran; the file itself is fine. */
  analysisError?: { code: string; message: string };
}

export interface VerifyCaptureBlobDeps {
  /** The capture analysis; without one the blob is only verified. */
  analyse?: CaptureAnalyser;
}

/**
 * Builds the activity: checks the capture file exists, is not empty and is pcap or pcapng (by
 * its magic, never its name), then streams it once through `analyse` and writes the summary
 * next to it. A summary already written for the same file version is reused, so a retry does
 * not stream a large file again.
 */
export function createVerifyCaptureBlob(deps: VerifyCaptureBlobDeps) {
  return defineActivity({
    name: 'verifyCaptureBlob',
    schema: inputSchema,
    scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
    run: async ({ storagePath, etag }, log): Promise<VerifyCaptureBlobOutput> => {
      const location = parseBlobLocation(storagePath, accountNameOf(getConfig().CAPTURE_STORAGE_ACCOUNT_ID));
      const service = getBlobServiceClient(location.serviceUrl);
      const blob = service.getContainerClient(location.container).getBlobClient(location.blobName);
      const storage = <T>(operation: string, call: () => Promise<T>) => guard(operation, location.url, call);

      const properties = await storage('read', () => blob.getProperties());
      if (etag && properties.etag !== etag) throw changed(location.url, etag, properties.etag);
      // Every later read is of this version only: a write in between fails it (412), not mixes it.
      const version = { conditions: { ifMatch: properties.etag } };
      const size = properties.contentLength ?? 0;
      if (size === 0) {
        throw new AppError(
          'BLOB_EMPTY',
          `The capture file ${location.url} is empty: no packet matched the filters, or the agent could not capture.`,
          { details: { blob: location.url } },
        );
      }
      const head = await storage('read', () =>
        blob.downloadToBuffer(0, Math.min(size, SNIFF_BYTES), version),
      );
      const format = sniffCaptureFormat(head);
      if (!format) {
        throw new AppError(
          'BLOB_NOT_A_CAPTURE',
          `The file ${location.url} is neither pcap nor pcapng (first bytes ${head.subarray(0, 8).toString('hex')}).`,
          { details: { blob: location.url, firstBytes: head.subarray(0, 16).toString('hex'), size } },
        );
      }
      const output: VerifyCaptureBlobOutput = {
        blob: refOf(location, location.blobName),
        size,
        lastModified: properties.lastModified?.toISOString(),
        format,
      };
      log.info('blob.verified', { blob: location.url, size, format: format.format });
      if (!deps.analyse) return output;
      const summaryName = summaryBlobName(location.blobName);
      const sidecar = service.getContainerClient(location.container).getBlockBlobClient(summaryName);
      try {
        const summary = await summarise(blob, sidecar, {
          analyser: deps.analyse,
          sourceEtag: properties.etag ?? '',
          storage,
          log,
        });
        return { ...output, summary, summaryBlob: refOf(location, summaryName) };
      } catch (error) {
        // A file the analyser cannot read is still a capture operators can download.
        if (!(error instanceof AppError) || error.retriable) throw error;
        log.warn('summary.failed', { code: error.code, message: error.message });
        return { ...output, analysisError: { code: error.code, message: error.message } };
      }
    },
  });
}

type StorageGuard = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

async function guard<T>(operation: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 412) throw changed(what);
    throw toStorageError(error, operation, what);
  }
}

function changed(url: string, expected?: string, found?: string): AppError {
  return new AppError(
    'BLOB_CHANGED',
    `The capture file ${url} changed while it was being read: Network Watcher is still writing it.`,
    { details: { blob: url, ...(expected && { expectedEtag: expected }), ...(found && { etag: found }) } },
  );
}

/** The metadata key tying a summary to the capture version it was computed from. */
const SOURCE_ETAG_KEY = 'sourceetag';

async function summarise(
  capture: BlobClient,
  sidecar: BlockBlobClient,
  options: { analyser: CaptureAnalyser; sourceEtag: string; storage: StorageGuard; log: InvocationLog },
): Promise<CaptureSummary> {
  const { analyser, sourceEtag, storage, log } = options;
  const previous = await sidecar.getProperties().catch(() => undefined);
  if (previous?.metadata?.[SOURCE_ETAG_KEY] === sourceEtag && sourceEtag) {
    const text = await storage('read the summary', () => sidecar.downloadToBuffer());
    log.info('summary.reused', { summary: sidecar.name });
    return JSON.parse(text.toString('utf8')) as CaptureSummary;
  }
  const started = Date.now();
  const summary = await storage('analyse', async () => {
    const download = await capture.download(0, undefined, { conditions: { ifMatch: sourceEtag } });
    return analyser(download.readableStreamBody as Readable);
  });
  const json = JSON.stringify(summary);
  await storage('write the summary', () =>
    sidecar.upload(json, Buffer.byteLength(json), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
      metadata: { [SOURCE_ETAG_KEY]: sourceEtag },
    }),
  );
  log.info('summary.written', {
    summary: sidecar.name,
    packets: summary.packets,
    durationMs: Date.now() - started,
  });
  return summary;
}

function refOf(location: BlobLocation, name: string): CaptureBlobRef {
  return {
    url: `${location.serviceUrl}/${location.container}/${name.split('/').map(encodeURIComponent).join('/')}`,
    accountName: location.accountName,
    container: location.container,
    name,
  };
}

/** The registered activity: verification plus the pcap summary. */
export const verifyCaptureBlob = createVerifyCaptureBlob({ analyse: (capture) => summarizeCapture(capture) });
