import type { CaptureSummary } from '../pcap';
import type { LimitAdjustment } from './limits';
import type { CaptureStatus } from './session';
import type { AgentExtension } from './target';
import type { AlertOrigin, CaptureFilter } from './types';

/**
 * The output of a `captureOnAlert` run: everything an operator needs to know what was captured,
 * how, for how long, why it ended and where the file is. It is the orchestration's output (status
 * API, Durable Functions Monitor) and the source of the notification. Plain JSON; no secret (the
 * download link itself never enters it, only its expiry).
 *
 * Versioning: adding a field keeps `schemaVersion`; removing or renaming one, or changing its type
 * or meaning, raises it.
 */
export const CAPTURE_REPORT_SCHEMA_VERSION = 1;

export type ReportOutcome = 'succeeded' | 'failed';

/**
 * Who ended the capture: its own limits, an operator, a resolved alert, the run's deadline, or
 * the run's cleanup after a failure.
 */
export type StoppedBy = 'service' | 'operator' | 'resolvedAlert' | 'deadline' | 'compensation';

/** A failure as the run saw it: catalogued code, the message verbatim, structured details. */
export interface ReportError {
  code: string;
  message: string;
  /** The phase of the run it happened in. */
  phase: string;
  /** The activity (or the run's own step) that failed. */
  step?: string;
  details?: Record<string, unknown>;
}

export interface ReportTarget {
  /** The VM id as the request gave it. */
  requestedVmId: string;
  /** Canonical VM id (casing restored) once the VM was read. */
  vmId: string;
  vmName: string;
  resourceGroup?: string;
  subscriptionId?: string;
  location?: string;
  privateIpAddresses?: string[];
  networkWatcherId?: string;
  agent?: AgentExtension;
}

export interface ReportCapture {
  name: string;
  /** `created` by this run, or `joined`: a capture already running on the VM was followed instead. */
  mode: 'created' | 'joined';
  /** Created by this app (this run or an earlier one): the run may stop it and deletes it at the end. */
  owned: boolean;
  /** Why a capture of the same name was deleted before this one was created. */
  replaced?: string;
  settings: {
    timeLimitSeconds?: number;
    bytesPerPacket?: number;
    bytesPerSession?: number;
    /** Absent for a joined capture (Network Watcher's status does not tell them). */
    filters?: CaptureFilter[];
    /** Requested values changed to fit the API. */
    adjustments: LimitAdjustment[];
  };
  /** Network Watcher's last known status, stop reason and errors, verbatim. */
  status?: CaptureStatus;
  stopReason?: string;
  errors: string[];
  stoppedBy?: StoppedBy;
  /** The StopCapture event that ended it, when one did. */
  stopRequest?: { at: string; reason?: string; requestedBy?: string };
  storagePath?: string;
  /**
   * What became of the capture resource: deleted at the end, already gone, or left (not ours,
   * or the delete failed).
   */
  cleanup?: 'deleted' | 'notFound' | 'kept' | 'failed';
}

export interface ReportTimings {
  /** The run started (the orchestration's first episode). */
  startedAt: string;
  /** Seconds spent waiting for a free capture slot. */
  slotWaitSeconds?: number;
  /** The capture was created (or joined). */
  captureCreatedAt?: string;
  /** Network Watcher's capture start time. */
  captureStartedAt?: string;
  /** When the capture was expected to reach its time limit. */
  expectedEndAt?: string;
  /** Past this time the run stops the capture. */
  deadlineAt?: string;
  /** When the run saw the capture had ended. */
  endNoticedAt?: string;
  finishedAt: string;
  /**
   * Status checks while following the capture: coarse ones up to the expected end, fast ones
   * after it or after a stop, and the ones a later alert asked for (`onAlert`, when there were).
   */
  checks: { coarse: number; fast: number; onAlert?: number };
  /** The interval the coarse checks used (CAPTURE_CHECK_INTERVAL_SECONDS, stretched for long captures). */
  checkIntervalSeconds?: number;
}

export interface ReportFile {
  /** Blob URL, without any SAS. */
  url: string;
  size: number;
  format: string;
  lastModified?: string;
  /** The `.summary.json` next to it. */
  summaryUrl?: string;
  /**
   * How long the run waited, after the capture ended, for the file to reach storage and stop
   * changing (Network Watcher uploads it after the session), and how many looks it took.
   */
  waitedSeconds?: number;
  looks?: number;
}

export interface ReportNotification {
  target: string;
  /** Host only: webhook URLs are secrets. */
  host: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface CaptureReport {
  schemaVersion: typeof CAPTURE_REPORT_SCHEMA_VERSION;
  outcome: ReportOutcome;
  instanceId: string;
  target: ReportTarget;
  alert: AlertOrigin;
  /** Absent when the run ended before a capture existed. */
  capture?: ReportCapture;
  timings: ReportTimings;
  file?: ReportFile;
  summary?: CaptureSummary;
  /** The file is a valid capture but could not be analysed. */
  analysisError?: { code: string; message: string };
  /** The download link sent in the notifications: only when it expires, never the link. */
  download?: { linkExpiresOn?: string; linkError?: { code: string; message: string } };
  notifications: {
    delivered: ReportNotification[];
    failed: ReportNotification[];
    /** The notify step itself failed (the run is still reported here). */
    error?: ReportError;
  };
  /** Why the run failed: the first failure, verbatim. */
  error?: ReportError;
  /** Failures that did not decide the outcome (cleanup, compensation). */
  warnings: ReportError[];
  /** Later firings that joined this run: its capture still ran when they came (or the run failed first). */
  joinedAlerts?: AlertOrigin[];
  /**
   * The firing that came after this run's capture ended: the run went on with a new capture for
   * it, under the same instance id (the status API then shows that capture's run).
   */
  followUp?: AlertOrigin;
  /** The run this one follows up: a new firing came after that run's capture ended. */
  previous?: PreviousRun;
}

/** What a follow-up run keeps of the run before it (whose report went out in its notification). */
export interface PreviousRun {
  outcome: ReportOutcome;
  alert?: AlertOrigin;
  captureName?: string;
  fileUrl?: string;
  errorCode?: string;
  finishedAt: string;
}
