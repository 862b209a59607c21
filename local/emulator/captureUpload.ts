import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaptureUploader } from './blobUpload';
import type { CaptureResource } from './captureStore';
import type { EmulatorClock } from './clock';
import type { FaultInjector } from './faults';
import type { RequestLog } from './requestLog';

/** When a capture's file reaches storage after its session ends, fixed at the capture's creation. */
export interface UploadPlan {
  /** Emulated ms from the session's end to the file's first appearance. */
  delayMs: number;
  /** Emulated ms the file then stays visible while it grows to its whole length. */
  growMs: number;
}

export interface UploadState {
  plan: UploadPlan;
  status: 'pending' | 'growing' | 'done' | 'failed' | 'none';
  /** Bytes of the file in storage so far. */
  bytes: number;
}

export interface CaptureUploadDeps {
  clock: () => EmulatorClock;
  faults: FaultInjector;
  uploader: CaptureUploader;
  requests: RequestLog;
}

/**
 * The agent's upload of a finished capture to its storage path. By default the whole file is in
 * storage as soon as the session has ended. With a delay, the file first appears that long after
 * the end; with a growth time, it is visible at once but holds only the part written so far, and
 * reaches its whole length that much later. Azure documents that the file "might not immediately
 * appear" because it is first saved to a temporary location and transferred after the session
 * (packet-capture-manage.md); how long that takes, and whether the blob can be seen before the
 * transfer ends, is not documented: both are settings here.
 */
export class CaptureUploads {
  constructor(private readonly deps: CaptureUploadDeps) {}

  /** Brings the capture's file in storage up to the clock; concurrent calls share one pass. */
  advance(capture: CaptureResource): Promise<void> {
    capture.uploading ??= this.advanceOnce(capture).finally(() => {
      capture.uploading = undefined;
    });
    return capture.uploading;
  }

  private async advanceOnce(capture: CaptureResource): Promise<void> {
    const { session, upload } = capture;
    if (!session.ended || upload.status === 'done' || upload.status === 'failed' || upload.status === 'none')
      return;
    const recorder = session.recorder;
    if (!recorder || session.status === 'Error' || !capture.blob) {
      upload.status = 'none';
      recorder?.discard();
      return;
    }
    const elapsed = this.deps.clock().now() - (session.endedAtMs as number) - upload.plan.delayMs;
    if (elapsed < 0) return;
    if (upload.status === 'pending' && capture.storageFails) {
      this.failed(capture);
      return;
    }
    const whole = capture.emptyFile ? 0 : recorder.fileBytes;
    const bytes = elapsed >= upload.plan.growMs ? whole : Math.floor((whole * elapsed) / upload.plan.growMs);
    if (upload.status === 'growing' && bytes === upload.bytes && bytes < whole) return;
    await this.put(capture, bytes, bytes === whole);
  }

  /** Writes the file's first `bytes` bytes over the blob; the last write removes the temporary file. */
  private async put(capture: CaptureResource, bytes: number, last: boolean): Promise<void> {
    const blob = capture.blob as NonNullable<CaptureResource['blob']>;
    const recorder = capture.session.recorder!;
    const { faults, requests, uploader } = this.deps;
    const fault = faults.forRequest('blobUpload');
    const atMs = Date.now();
    const path = `/${blob.account}/network-watcher-logs/${blob.name}`;
    try {
      if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
      else if (fault) throw new Error(`injected ${fault.kind}`);
      await uploader.upload(
        blob.account,
        blob.name,
        capture.emptyFile ? null : recorder.path,
        last ? undefined : bytes,
      );
      capture.upload.bytes = bytes;
      capture.upload.status = last ? 'done' : 'growing';
      requests.record({ route: 'blobUpload', method: 'PUT', path, status: 201, fault: fault?.kind, atMs });
      if (last) rmSync(recorder.path, { force: true });
    } catch {
      requests.record({ route: 'blobUpload', method: 'PUT', path, status: 500, fault: fault?.kind, atMs });
      this.failed(capture);
      rmSync(recorder.path, { force: true });
    }
  }

  private failed(capture: CaptureResource): void {
    capture.upload.status = 'failed';
    capture.session.fail(['StorageFailed'], capture.session.endedAtMs ?? this.deps.clock().now());
    capture.session.recorder?.discard();
  }
}
