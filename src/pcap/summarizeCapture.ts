/**
 * Reads a capture once from a stream and returns its summary. Malformed or truncated input never
 * makes this fail: the summary covers what was read and `file.malformed` says where reading stopped.
 * Only a failing stream (e.g. the blob download breaking off) rejects, with CAPTURE_STREAM_FAILED.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../errors/AppError';
import { CaptureReader, type CaptureReaderOptions } from './CaptureReader';
import { CaptureSummarizer, type SummaryOptions } from './CaptureSummarizer';
import type { CaptureSummary } from './summary';

export type SummarizeOptions = SummaryOptions & CaptureReaderOptions;

export async function summarizeCapture(
  stream: Readable,
  options: SummarizeOptions = {},
): Promise<CaptureSummary> {
  if (stream === null || typeof stream !== 'object' || typeof stream[Symbol.asyncIterator] !== 'function') {
    throw new TypeError('summarizeCapture needs a readable stream');
  }
  const summarizer = new CaptureSummarizer(options);
  const reader = new CaptureReader(summarizer, options);
  try {
    for await (const chunk of stream) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('the capture stream must yield bytes (Buffer or Uint8Array), not text');
      }
      if (!reader.push(chunk)) break; // malformed: the rest cannot be framed, so stop downloading it
    }
  } catch (error) {
    if (error instanceof TypeError) throw error;
    const read = reader.fileInfo();
    throw new AppError(
      'CAPTURE_STREAM_FAILED',
      `Reading the capture failed after ${read.bytesRead} bytes: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { bytesRead: read.bytesRead, records: read.records } },
    );
  } finally {
    if (!stream.destroyed) stream.destroy();
  }
  reader.end();
  return summarizer.summary(reader.fileInfo());
}
