import type { InvocationContext } from '@azure/functions';
import { packetCapturesOf } from '../azure/packetCaptures';
import { runActivity, type ActivityResult } from './activityResult';
import { captureRefSchema, type CaptureRefInput } from './schemas';
import { DELETE_CAPTURE_ACTIVITY } from './names';

export { DELETE_CAPTURE_ACTIVITY };

export type DeleteCaptureInput = CaptureRefInput;

export interface DeleteCaptureOutput {
  outcome: 'deleted' | 'notFound';
}

/** Deletes the capture resource (the blob stays). Idempotent: a capture already gone is success. */
export function deleteCapture(
  input: unknown,
  context: InvocationContext,
): Promise<ActivityResult<DeleteCaptureOutput>> {
  return runActivity(
    {
      name: DELETE_CAPTURE_ACTIVITY,
      schema: captureRefSchema,
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId, capture: i.captureName }),
      run: async ({ networkWatcherId, captureName }, log) => {
        const api = packetCapturesOf(networkWatcherId);
        // ARM answers a DELETE of a missing resource with 204 as well: read first to tell them apart.
        const exists = (await api.get(captureName)) !== undefined;
        const outcome = exists && (await api.delete(captureName)) ? 'deleted' : 'notFound';
        log.info('capture.delete', { outcome });
        return { outcome };
      },
    },
    input,
    context,
  );
}
