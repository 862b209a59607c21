import { packetCapturesOf } from '../azure/packetCaptures';
import { defineCaptureRefActivity } from './schemas';

export interface DeleteCaptureOutput {
  outcome: 'deleted' | 'notFound';
}

/** Deletes the capture resource (the blob stays). Idempotent: a capture already gone is success. */
export const deleteCapture = defineCaptureRefActivity(
  'deleteCapture',
  async ({ networkWatcherId, captureName }, log): Promise<DeleteCaptureOutput> => {
    const api = packetCapturesOf(networkWatcherId);
    // ARM answers a DELETE of a missing resource with 204 as well: read first to tell them apart.
    const exists = (await api.get(captureName)) !== undefined;
    const outcome = exists && (await api.delete(captureName)) ? 'deleted' : 'notFound';
    log.info('capture.delete', { outcome });
    return { outcome };
  },
);
