import { packetCapturesOf, type PacketCaptureApi } from '../azure/packetCaptures';
import { isCaptureActive } from '../capture/session';
import { AppError } from '../errors/AppError';
import { defineCaptureRefActivity } from './schemas';

export interface StopCaptureOutput {
  outcome: 'stopped' | 'alreadyStopped' | 'notFound';
}

/**
 * Stops the capture (Network Watcher then uploads the file). Idempotent: a capture that is gone
 * or already finished counts as stopped.
 */
export const stopCapture = defineCaptureRefActivity(
  'stopCapture',
  async ({ networkWatcherId, captureName }, log): Promise<StopCaptureOutput> => {
    const api = packetCapturesOf(networkWatcherId);
    const outcome = await stopOnce(api, captureName);
    log.info('capture.stop', { outcome });
    return { outcome };
  },
);

async function stopOnce(api: PacketCaptureApi, name: string): Promise<StopCaptureOutput['outcome']> {
  try {
    return (await api.stop(name)) ? 'stopped' : 'notFound';
  } catch (error) {
    // The service may refuse to stop a session that has already ended: check before failing.
    if (!(error instanceof AppError) || error.retriable) throw error;
    const session = await api.get(name);
    if (!session) return 'notFound';
    const state = await api.status(name).catch(() => undefined);
    if (state && !isCaptureActive(session, state)) return 'alreadyStopped';
    throw error;
  }
}
