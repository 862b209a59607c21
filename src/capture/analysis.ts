import type { Readable } from 'node:stream';
import type { CaptureSummary } from '../pcap';

/**
 * The seam between blob verification and capture analysis: verifyCaptureBlob streams the
 * verified capture file once into this function and stores what it returns as a JSON sidecar
 * next to the file. The pcap summarizer plugs in here.
 */
export type CaptureAnalyser = (capture: Readable) => Promise<CaptureSummary>;

/** `<file without .cap/.pcap/.pcapng>.summary.json`, in the same folder as the capture. */
export function summaryBlobName(captureBlobName: string): string {
  return `${captureBlobName.replace(/\.(cap|pcap|pcapng)$/i, '')}.summary.json`;
}
