import { packetCapturesOf } from '../azure/packetCaptures';
import type { CaptureState } from '../capture/session';
import { AppError } from '../errors/AppError';
import { defineCaptureRefActivity } from './schemas';

export interface GetCaptureStatusOutput extends CaptureState {
  provisioningState: string;
  /** Blob URL of the capture file (no SAS). */
  storagePath?: string;
}

/**
 * queryStatus plus the resource's provisioning state and storage path. Read-only. A capture
 * that no longer exists is CAPTURE_NOT_FOUND (permanent).
 */
export const getCaptureStatus = defineCaptureRefActivity(
  'getCaptureStatus',
  async ({ networkWatcherId, captureName }, log): Promise<GetCaptureStatusOutput> => {
    const api = packetCapturesOf(networkWatcherId);
    const session = await api.get(captureName);
    if (!session) {
      throw new AppError(
        'CAPTURE_NOT_FOUND',
        `Packet capture ${captureName} does not exist (deleted by someone else?).`,
        {
          details: { networkWatcherId, captureName },
        },
      );
    }
    const state = await api.status(captureName);
    log.info('capture.status', {
      status: state.status,
      stopReason: state.stopReason,
      errors: state.errors,
    });
    return { ...state, provisioningState: session.provisioningState, storagePath: session.storagePath };
  },
);
