import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { CaptureWriter, type WritableFrame } from '../traffic';
import type { CaptureFormat } from './types';

const FLUSH_BYTES = 256 * 1024;

/**
 * The capture file as it grows on the VM: written to a temporary file (a five-hour capture does not
 * fit in memory), never past the session's byte limit, with the counts capinfos will report.
 */
export class CaptureRecorder {
  packets = 0;
  capturedBytes = 0;
  originalBytes = 0;
  fileBytes = 0;
  private readonly writer: CaptureWriter;
  private readonly byteLimit: number;
  private fd: number | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    readonly path: string,
    options: { format: CaptureFormat; snapLength: number; byteLimit: number },
  ) {
    this.writer = new CaptureWriter({ format: options.format, snapLength: options.snapLength });
    this.byteLimit = options.byteLimit;
    this.fd = openSync(path, 'w');
    this.push(this.writer.header());
  }

  /** Appends the frame; false, with nothing written, when it would take the file past the limit. */
  append(frame: WritableFrame): boolean {
    const record = this.writer.frame(frame);
    if (this.fileBytes + record.length > this.byteLimit) return false;
    this.push(record);
    this.packets++;
    this.capturedBytes += Math.min(frame.data.length, this.writer.snapLength);
    this.originalBytes += frame.data.length;
    return true;
  }

  /** Flushes and closes the file; the counts stay readable. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }

  discard(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  private push(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.fileBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.pendingBytes === 0) return;
    writeSync(this.fd, Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
