/**
 * Types shared by the emulator and its admin client: the admin API speaks these shapes as JSON.
 */

/** Names of the ARM routes, used to target faults and to count requests. */
export const ROUTE_NAMES = [
  'create',
  'get',
  'delete',
  'list',
  'queryStatus',
  'stop',
  'operations',
  'vm',
  'extensions',
  'watchers',
  'nic',
  'blobUpload',
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export type CaptureFormat = 'pcap' | 'pcapng';

export interface ClockOptions {
  /** `real`: wall-clock time times `factor`; `manual`: time moves only through the admin API. */
  mode: 'real' | 'manual';
  /** Speed-up of the real clock (60 = a minute per second). Default 1. */
  factor?: number;
  /** Emulated time at start, ISO text or ms since 1970. Default: now. */
  startTime?: string | number;
}

export interface ClockState {
  mode: 'real' | 'manual';
  factor: number;
  nowMs: number;
  now: string;
}

export interface NamespaceSettings {
  /** Real milliseconds an ARM long-running operation stays in progress. */
  lroDelayMs: number;
  /** Value of the Retry-After header on long-running operation answers (0 = poll at the client's pace). */
  retryAfterSeconds: number;
  /** Emulated seconds between a capture's creation and its start (NotStarted meanwhile). */
  captureStartDelaySeconds: number;
  /** File format of captures on VMs that do not set their own. */
  captureFormat: CaptureFormat;
  /** Mean synthetic packet rate for VMs that do not set their own. */
  packetsPerSecond: number;
  /** Capture sessions allowed per watcher (Network Watcher allows 10,000 per region and subscription). */
  maxSessionsPerWatcher: number;
  /** Seeds the traffic of every capture and the fault draws. */
  seed: number;
  /**
   * Which captures count against `maxSessionsPerWatcher`: `active` (NotStarted, Running) or `all`
   * (stopped captures not yet deleted too). The limit's documentation does not settle it.
   */
  sessionLimitCounts: 'active' | 'all';
  /**
   * Emulated seconds between a session's end and the first appearance of its file in storage: the
   * agent uploads after the session. 0: the file is there when the status says Stopped.
   */
  uploadDelaySeconds: number;
  /** Emulated seconds the file stays visible while it still grows (0: it appears whole). */
  uploadGrowSeconds: number;
  /**
   * The `captureStartTime` queryStatus reports for a session that never started (for example
   * `0001-01-01T00:00:00Z`, the .NET default date); null leaves the property out.
   */
  unstartedCaptureStartTime: string | null;
  /**
   * Every ARM request answers 403 AuthorizationFailed until this many emulated seconds after the
   * namespace started or was reset (or the setting changed): role assignments still propagating.
   */
  authorizationDelaySeconds: number;
  /**
   * Scopes (a resource group id, or any resource id) on which the app's identity holds no role:
   * every request under one answers 403 AuthorizationFailed.
   */
  forbiddenScopes: string[];
}

export type HttpFaultKind = 'throttle' | 'serverError' | 'unavailable' | 'slow' | 'drop' | 'late';

export interface HttpFault {
  route: RouteName | '*';
  kind: HttpFaultKind;
  /** Chance that a matching request is hit, 0..1 (seeded, deterministic). Default 1. */
  rate?: number;
  /** Stop after hitting this many requests. Default: no end. */
  times?: number;
  /** throttle/unavailable: the Retry-After value. Default 1. */
  retryAfterSeconds?: number;
  /** slow: how long the answer is held back. Default 2000. */
  delayMs?: number;
  /**
   * late: the connection is cut at once (the client gives up) and the request is carried out this
   * many emulated seconds later. Default 60.
   */
  afterSeconds?: number;
}

export type CaptureFaultKind =
  'agentMissing' | 'agentStopped' | 'storageFailed' | 'neverStarts' | 'emptyFile';

export interface CaptureFault {
  kind: CaptureFaultKind;
  /** Only captures on this VM (name or resource id, any casing); unset = the next captures on any VM. */
  vm?: string;
  /** How many captures it hits. Default: 1 without `vm`, unlimited with `vm`. */
  times?: number;
  /** agentStopped: emulated seconds after the start when the agent dies. Default: half the time limit. */
  afterSeconds?: number;
}

export interface FaultSet {
  http?: HttpFault[];
  capture?: CaptureFault[];
}

export interface RouteCount {
  requests: number;
  faults: number;
  byStatus: Record<string, number>;
}

export interface RequestRecord {
  route: RouteName;
  method: string;
  path: string;
  status: number;
  fault?: HttpFaultKind;
  /** Real time the request arrived, ms since 1970. */
  atMs: number;
}

export interface RequestStats {
  counts: Partial<Record<RouteName, RouteCount>>;
  /** The latest requests, oldest first (bounded). */
  recent: RequestRecord[];
}

export type CaptureStatus = 'NotStarted' | 'Running' | 'Stopped' | 'Error';

export interface SessionInfo {
  id: string;
  name: string;
  vmId: string;
  status: CaptureStatus;
  provisioningState: string;
  stopReason: string;
  errors: string[];
  format: CaptureFormat;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Blob URL the file is (or will be) uploaded to; unset for local-file-only captures. */
  storagePath?: string;
  /** The whole file is in storage. */
  uploaded: boolean;
  /** Bytes of the file in storage so far (less than `fileBytes` while it grows). */
  uploadedBytes: number;
  packets: number;
  /** Sum of the captured (possibly truncated) frame lengths: capinfos' "Data size". */
  capturedBytes: number;
  /** Sum of the frames' original lengths on the wire. */
  originalBytes: number;
  fileBytes: number;
}

export interface VmSpec {
  name: string;
  resourceGroup: string;
  /** Defaults to the first subscription of the namespace. */
  subscriptionId?: string;
  location: string;
  os?: 'Linux' | 'Windows';
  powerState?: PowerState;
  vmId?: string;
  privateIps: string[];
  agentInstalled?: boolean;
  size?: string;
  packetsPerSecond?: number;
  captureFormat?: CaptureFormat;
  /** The resource group of the VM's NIC (a shared network group); default the VM's own. */
  nicResourceGroup?: string;
}

export type PowerState = 'running' | 'starting' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated';

export interface NamespaceInfo {
  name: string;
  /** Subscriptions in inventory order: their ids in this namespace and in the inventory file. */
  subscriptions: { id: string; inventoryId: string; displayName: string }[];
  /** Resource ids of the storage accounts of the inventory, in this namespace. */
  storageAccountIds: string[];
  watchers: { id: string; name: string; location: string }[];
  vms: {
    id: string;
    name: string;
    resourceGroup: string;
    location: string;
    nicId: string;
    privateIps: string[];
  }[];
  clock: ClockState;
  settings: NamespaceSettings;
}

export interface CreateNamespaceRequest {
  name: string;
  clock?: ClockOptions;
  settings?: Partial<NamespaceSettings>;
  faults?: FaultSet;
}
