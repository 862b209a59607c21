import type { InvocationContext } from '@azure/functions';
import { packetCapturesOf } from '../azure/packetCaptures';
import type { CaptureState } from '../capture/session';
import { AppError } from '../errors/AppError';
import { runActivity, type ActivityResult } from './activityResult';
import { captureRefSchema, type CaptureRefInput } from './schemas';
import { GET_CAPTURE_STATUS_ACTIVITY } from './names';

export { GET_CAPTURE_STATUS_ACTIVITY };

export type GetCaptureStatusInput = CaptureRefInput;

export interface GetCaptureStatusOutput extends CaptureState {
  provisioningState: string;
  /** Blob URL of the capture file (no SAS). */
  storagePath?: string;
}

/**
 * queryStatus plus the resource's provisioning state and storage path. Read-only. A capture
 * that no longer exists is CAPTURE_NOT_FOUND (permanent).
 */
export function getCaptureStatus(
  input: unknown,
  context: InvocationContext,
): Promise<ActivityResult<GetCaptureStatusOutput>> {
  return runActivity(
    {
      name: GET_CAPTURE_STATUS_ACTIVITY,
      schema: captureRefSchema,
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId, capture: i.captureName }),
      run: async ({ networkWatcherId, captureName }, log) => {
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
    },
    input,
    context,
  );
}
