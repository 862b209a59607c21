/** A packet capture session as the activities report it (plain JSON, through Durable history). */

/** Network Watcher's PcStatus values. */
export type CaptureStatus = 'NotStarted' | 'Running' | 'Stopped' | 'Error' | 'Unknown';

/** Identifies one capture: its watcher and its name. */
export interface CaptureRef {
  networkWatcherId: string;
  name: string;
}

export interface CaptureSession extends CaptureRef {
  id: string;
  /** ARM id of the captured VM. */
  target: string;
  /** ARM provisioning state: Succeeded, Updating, Failed, ... */
  provisioningState: string;
  /** Blob URL of the capture file (without any SAS). */
  storagePath?: string;
  timeLimitSeconds?: number;
  bytesPerPacket?: number;
  bytesPerSession?: number;
}

export interface CaptureState {
  status: CaptureStatus;
  /** Network Watcher's free-text reason, e.g. `TimeExceeded`, verbatim. */
  stopReason?: string;
  /** Network Watcher's PcError values (AgentStopped, StorageFailed, ...), verbatim. */
  errors: string[];
  captureStartTime?: string;
}

const KNOWN_STATUSES: readonly CaptureStatus[] = ['NotStarted', 'Running', 'Stopped', 'Error', 'Unknown'];

/** Maps the service's status text (any casing) onto the known values; anything else is Unknown. */
export function toCaptureStatus(value: string | undefined): CaptureStatus {
  return KNOWN_STATUSES.find((s) => s.toLowerCase() === value?.toLowerCase()) ?? 'Unknown';
}

/** A session that still holds (or may soon hold) a capture slot on the watcher. */
export function isCaptureActive(session: { provisioningState: string }, state: CaptureState): boolean {
  if (isProvisioningFailed(session.provisioningState)) return false;
  return state.status === 'NotStarted' || state.status === 'Running' || state.status === 'Unknown';
}

export function isProvisioningFailed(provisioningState: string): boolean {
  return ['failed', 'canceled'].includes(provisioningState.toLowerCase());
}
