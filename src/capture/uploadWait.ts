/**
 * How long a run waits for a capture file to reach storage and stop changing, and how it tells.
 *
 * Network Watcher first saves the file to a temporary place and transfers it after the session
 * ends ("the capture file might not immediately appear … transferred to its final location after
 * the capture session is completed", packet-capture-manage.md). How long that takes is not
 * documented; it grows with the file, which the session's byte limit bounds. So the wait is sized
 * from the session's limits, not from a number of retries.
 */

/** What every wait gets, whatever the file: the agent's hand-over and a first storage write. */
export const UPLOAD_WAIT_BASE_SECONDS = 120;
/** A slow transfer rate (1 MiB/s) for the largest file the session can leave. */
export const UPLOAD_BYTES_PER_SECOND = 1024 * 1024;
/** A longer session leaves a longer hand-over: this share of its time limit (inferred). */
export const UPLOAD_WAIT_SHARE_OF_TIME_LIMIT = 1 / 20;
/** The wait never exceeds this. */
export const UPLOAD_WAIT_MAX_SECONDS = 3600;

/** Network Watcher's defaults, for a capture whose limits the run does not know (joined). */
const DEFAULT_BYTES_PER_SESSION = 1_073_741_824;
const DEFAULT_TIME_LIMIT_SECONDS = 18_000;

/** Gaps between two looks at the file; the last one repeats. */
export const FILE_LOOK_GAPS_SECONDS = [10, 20, 30, 60] as const;

/**
 * A file whose last change is at least this old, by storage's own clock, is taken as complete on
 * first sight: a transfer in progress writes far more often.
 */
export const SETTLED_AGE_SECONDS = 600;

export interface SessionLimits {
  bytesPerSession?: number;
  timeLimitSeconds?: number;
}

/** Seconds a run waits for the file of a session with these limits. */
export function uploadWaitBudgetSeconds(limits: SessionLimits): number {
  const bytes = limits.bytesPerSession ?? DEFAULT_BYTES_PER_SESSION;
  const seconds = limits.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  const budget =
    UPLOAD_WAIT_BASE_SECONDS + bytes / UPLOAD_BYTES_PER_SECOND + seconds * UPLOAD_WAIT_SHARE_OF_TIME_LIMIT;
  return Math.min(UPLOAD_WAIT_MAX_SECONDS, Math.ceil(budget));
}

/** The wait before look number `looks` (0-based) at the file. */
export function fileLookGapSeconds(looks: number): number {
  return FILE_LOOK_GAPS_SECONDS[Math.min(looks, FILE_LOOK_GAPS_SECONDS.length - 1)]!;
}

/** One look at the blob: its length and version, and how old its last change is. */
export interface BlobLook {
  size: number;
  etag: string;
  /** Seconds between the blob's last change and the read, by storage's clock, when known. */
  ageSeconds?: number;
}

/**
 * The file is complete: it did not change between two looks (same length, same ETag: the ETag
 * changes with every write), or its last change is long past.
 */
export function isSettled(current: BlobLook, previous: BlobLook | undefined): boolean {
  if (current.ageSeconds !== undefined && current.ageSeconds >= SETTLED_AGE_SECONDS) return true;
  return previous !== undefined && previous.size === current.size && previous.etag === current.etag;
}
