import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ArmError, badRequest } from './armError';
import { captureBlobName, type CaptureUploader } from './blobUpload';
import type { CaptureSpec } from './captureRequest';
import { CaptureSession } from './captureSession';
import { CaptureUploads, type UploadState } from './captureUpload';
import { provisioningState } from './captureViews';
import type { EmulatorClock } from './clock';
import type { FaultInjector } from './faults';
import { filterPredicate } from './filters';
import type { WatcherRecord } from './inventory';
import type { AsyncOperation, OperationError, Operations } from './operations';
import type { RequestLog } from './requestLog';
import type { NamespaceSettings, SessionInfo } from './types';

export interface CaptureResource {
  name: string;
  id: string;
  etag: string;
  watcher: WatcherRecord;
  spec: CaptureSpec;
  createdAtMs: number;
  session: CaptureSession;
  createOperation: AsyncOperation;
  deleteOperation?: AsyncOperation;
  blob?: { account: string; name: string; url: string };
  emptyFile: boolean;
  storageFails: boolean;
  upload: UploadState;
  /** The upload step in flight: concurrent requests wait for it instead of uploading the file twice. */
  uploading?: Promise<void>;
  /** The captureStartTime reported while the session has not started (a default date), if any. */
  unstartedStartTime?: string;
}

export interface CaptureStoreDeps {
  settings: () => NamespaceSettings;
  clock: () => EmulatorClock;
  faults: FaultInjector;
  operations: Operations;
  uploader: CaptureUploader;
  requests: RequestLog;
  tempDir: string;
}

/** Where a new operation's URLs point and which api-version they carry. */
export interface OperationContext {
  apiVersion: string;
}

const key = (watcherId: string, name: string) => `${watcherId}/${name}`.toLowerCase();

/**
 * The packet capture resources of one namespace and their sessions. Every read first brings the
 * sessions up to the clock and uploads the files of those that ended, so an answer never shows a
 * stopped session whose file is not in storage yet.
 */
export class CaptureStore {
  private readonly captures = new Map<string, CaptureResource>();
  private readonly usedBlobNames = new Set<string>();
  private readonly uploads: CaptureUploads;
  /** Deleted captures whose file is still on its way: deleting a capture does not stop its upload. */
  private readonly deletedUploading = new Set<CaptureResource>();

  constructor(private readonly deps: CaptureStoreDeps) {
    this.uploads = new CaptureUploads(deps);
  }

  create(watcher: WatcherRecord, name: string, spec: CaptureSpec, ctx: OperationContext): CaptureResource {
    const existing = this.captures.get(key(watcher.id, name));
    if (existing) {
      throw new ArmError(
        409,
        'PacketCaptureAlreadyExists',
        `Packet capture ${existing.name} already exists on network watcher ${watcher.name}` +
          (existing.deleteOperation ? ' and is being deleted.' : '. Delete it before creating it again.'),
      );
    }
    const { settings, clock, faults, operations, tempDir } = this.deps;
    const s = settings();
    const counted = this.list(watcher).filter((c) => s.sessionLimitCounts === 'all' || !c.session.ended);
    if (counted.length >= s.maxSessionsPerWatcher) {
      throw badRequest(
        `Network watcher ${watcher.name} already has ${s.maxSessionsPerWatcher} packet capture sessions; delete some first.`,
        'PacketCaptureSessionLimitReached',
      );
    }
    const { vm } = spec;
    const hitRules = faults.forCapture(vm);
    const hits = new Set(hitRules.map((f) => f.kind));
    const agentStopped = hitRules.find((f) => f.kind === 'agentStopped');
    const failure = creationFailure(vm, hits.has('agentMissing'));
    const createdAtMs = clock().now();
    const id = `${watcher.id}/packetCaptures/${name}`;
    const session = new CaptureSession({
      startAtMs: failure || hits.has('neverStarts') ? null : createdAtMs + s.captureStartDelaySeconds * 1000,
      timeLimitSeconds: spec.timeLimitSeconds,
      totalBytesLimit: spec.totalBytesLimit,
      snapLength: spec.snapLength,
      format: vm.captureFormat ?? s.captureFormat,
      localIp: vm.privateIps[0] as string,
      packetsPerSecond: vm.packetsPerSecond ?? s.packetsPerSecond,
      seed: sessionSeed(s.seed, id, createdAtMs),
      accept: filterPredicate(spec.filters, vm.privateIps),
      agentStopsAfterSeconds: hits.has('agentStopped')
        ? (agentStopped?.afterSeconds ?? spec.timeLimitSeconds / 2)
        : undefined,
      tempPath: join(tempDir, `${randomUUID()}.cap`),
    });
    if (failure) session.fail([failure.pcError], createdAtMs);
    const capture: CaptureResource = {
      name,
      id,
      etag: `W/"${randomUUID()}"`,
      watcher,
      spec,
      createdAtMs,
      session,
      createOperation: operations.start(
        {
          provider: 'Microsoft.Network',
          subscriptionId: watcher.subscriptionId,
          location: watcher.location,
          apiVersion: ctx.apiVersion,
          error: failure?.error,
          result: () => ({ status: 200 }),
        },
        s.lroDelayMs,
      ),
      blob: spec.storageAccountName ? this.blobFor(spec.storageAccountName, vm, createdAtMs) : undefined,
      emptyFile: hits.has('emptyFile'),
      storageFails: hits.has('storageFailed'),
      upload: {
        plan: { delayMs: s.uploadDelaySeconds * 1000, growMs: s.uploadGrowSeconds * 1000 },
        status: 'pending',
        bytes: 0,
      },
      ...(s.unstartedCaptureStartTime !== null && { unstartedStartTime: s.unstartedCaptureStartTime }),
    };
    this.captures.set(key(watcher.id, name), capture);
    return capture;
  }

  get(watcher: WatcherRecord, name: string): CaptureResource {
    const capture = this.captures.get(key(watcher.id, name));
    if (!capture) {
      throw new ArmError(404, 'NotFound', `Resource ${watcher.id}/packetCaptures/${name} not found.`);
    }
    return capture;
  }

  list(watcher: WatcherRecord): CaptureResource[] {
    return [...this.captures.values()].filter((c) => c.watcher.id === watcher.id);
  }

  /** Stops the session now (its file is uploaded as on Azure); the caller answers with an operation. */
  async stop(capture: CaptureResource, reason: string): Promise<void> {
    capture.session.stop(this.deps.clock().now(), reason);
    await this.uploads.advance(capture);
  }

  /** Starts deleting: a running session stops and still uploads; the resource goes when the operation is done. */
  async delete(capture: CaptureResource, ctx: OperationContext): Promise<AsyncOperation> {
    if (capture.deleteOperation) return capture.deleteOperation;
    await this.stop(capture, 'Manual');
    capture.deleteOperation = this.deps.operations.start(
      {
        provider: 'Microsoft.Network',
        subscriptionId: capture.watcher.subscriptionId,
        location: capture.watcher.location,
        apiVersion: ctx.apiVersion,
        result: () => ({ status: 204 }),
        onDone: () => this.forget(capture),
      },
      this.deps.settings().lroDelayMs,
    );
    return capture.deleteOperation;
  }

  /** Brings every session to `nowMs` and the files of the sessions that ended into storage. */
  async advance(nowMs: number): Promise<void> {
    for (const capture of this.captures.values()) {
      capture.session.advanceTo(nowMs);
      await this.uploads.advance(capture);
    }
    for (const capture of this.deletedUploading) {
      await this.uploads.advance(capture);
      if (!isUploading(capture)) this.deletedUploading.delete(capture);
    }
  }

  sessions(): SessionInfo[] {
    return [...this.captures.values()].map((c) => {
      const { session } = c;
      const recorder = c.emptyFile ? undefined : session.recorder;
      const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
      return {
        id: c.id,
        name: c.name,
        vmId: c.spec.vm.id,
        status: session.status,
        provisioningState: provisioningState(c),
        stopReason: session.stopReason,
        errors: [...session.errors],
        format: session.plan.format,
        createdAt: new Date(c.createdAtMs).toISOString(),
        startedAt: iso(session.startedAtMs),
        endedAt: iso(session.endedAtMs),
        storagePath: c.blob?.url,
        uploaded: c.upload.status === 'done',
        uploadedBytes: c.upload.bytes,
        packets: recorder?.packets ?? 0,
        capturedBytes: recorder?.capturedBytes ?? 0,
        originalBytes: recorder?.originalBytes ?? 0,
        fileBytes: recorder?.fileBytes ?? 0,
      };
    });
  }

  clear(): void {
    for (const capture of [...this.captures.values(), ...this.deletedUploading]) {
      capture.session.recorder?.discard();
    }
    this.captures.clear();
    this.deletedUploading.clear();
    this.usedBlobNames.clear();
  }

  private forget(capture: CaptureResource): void {
    this.captures.delete(key(capture.watcher.id, capture.name));
    if (isUploading(capture)) this.deletedUploading.add(capture);
  }

  private blobFor(account: string, vm: CaptureSpec['vm'], createdAtMs: number) {
    // Two captures of one VM created in the same emulated millisecond (a manual clock) would share
    // a name; the later one moves on by a millisecond instead of overwriting the earlier file.
    let at = createdAtMs;
    while (this.usedBlobNames.has(`${account}/${captureBlobName(vm, at)}`.toLowerCase())) at++;
    const name = captureBlobName(vm, at);
    this.usedBlobNames.add(`${account}/${name}`.toLowerCase());
    return { account, name, url: this.deps.uploader.blobUrl(account, name) };
  }
}

const isUploading = (capture: CaptureResource) =>
  capture.upload.status === 'pending' || capture.upload.status === 'growing';

function creationFailure(
  vm: CaptureSpec['vm'],
  agentMissingFault: boolean,
): { error: OperationError; pcError: string } | undefined {
  if (!vm.agentInstalled || agentMissingFault) {
    return {
      pcError: 'CaptureFailed',
      error: {
        code: 'NetworkWatcherAgentNotInstalled',
        message: `The Network Watcher agent extension is not installed on virtual machine ${vm.id}. Install AzureNetworkWatcherExtension and retry.`,
      },
    };
  }
  if (vm.powerState !== 'running') {
    return {
      pcError: 'AgentStopped',
      error: {
        code: 'TargetVmNotRunning',
        message: `Virtual machine ${vm.id} is ${vm.powerState}; packet capture needs a running VM.`,
      },
    };
  }
  return undefined;
}

function sessionSeed(seed: number, id: string, createdAtMs: number): number {
  return createHash('sha256').update(`${seed}/${id.toLowerCase()}/${createdAtMs}`).digest().readUInt32LE(0);
}
