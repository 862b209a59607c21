import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { packetCapturesOf } from '../azure/packetCaptures';
import { sameResourceId } from '../azure/resourceId';
import { mapWithConcurrency } from '../capture/concurrency';
import { isAppCaptureName } from '../capture/naming';
import {
  isCaptureActive,
  isProvisioningFailed,
  type CaptureSession,
  type CaptureState,
} from '../capture/session';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import { runActivity, type ActivityResult } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, vmIdSchema } from './schemas';
import { INSPECT_CAPTURES_ACTIVITY } from './names';

export { INSPECT_CAPTURES_ACTIVITY };

/** queryStatus calls in flight at once: enough to be quick, few enough not to be throttled. */
const STATUS_CONCURRENCY = 4;

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  /** Canonical id of the VM to be captured. */
  vmId: vmIdSchema,
  networkWatcherId: networkWatcherIdSchema,
});

export type InspectCapturesInput = z.input<typeof inputSchema>;

export interface InspectedCapture extends CaptureSession {
  state: CaptureState;
  /** Named by this app (`captureNameFor`). */
  createdByApp: boolean;
}

export interface InspectCapturesOutput {
  /** Sessions holding a slot: NotStarted, Running, or Unknown (counted to be safe). */
  running: InspectedCapture[];
  /** An active capture already on this VM, to be joined instead of duplicated. */
  onThisVm?: InspectedCapture;
  /** Finished (Stopped, Error) or failed sessions that still exist as resources. */
  stale: InspectedCapture[];
  /** CAPTURE_SESSION_LIMIT and what is left of it. */
  sessionLimit: number;
  freeSlots: number;
}

/** The watcher's captures with their status, sorted for the orchestrator's decisions. Read-only. */
export function inspectCaptures(
  input: unknown,
  context: InvocationContext,
): Promise<ActivityResult<InspectCapturesOutput>> {
  return runActivity(
    {
      name: INSPECT_CAPTURES_ACTIVITY,
      schema: inputSchema,
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
      run: async ({ vmId, networkWatcherId }, log) => {
        const api = packetCapturesOf(networkWatcherId);
        const sessions = await api.list();
        const inspected = await mapWithConcurrency(sessions, STATUS_CONCURRENCY, async (session) => {
          const state = isProvisioningFailed(session.provisioningState)
            ? { status: 'Error' as const, errors: [] }
            : await statusOrGone(() => api.status(session.name));
          return state && { ...session, state, createdByApp: isAppCaptureName(session.name) };
        });
        const present = inspected.filter((c): c is InspectedCapture => c !== undefined);
        const running = present.filter((c) => isCaptureActive(c, c.state));
        const stale = present.filter((c) => !isCaptureActive(c, c.state));
        const sessionLimit = getConfig().CAPTURE_SESSION_LIMIT;
        const result: InspectCapturesOutput = {
          running,
          onThisVm: running.find((c) => sameResourceId(c.target, vmId)),
          stale,
          sessionLimit,
          freeSlots: Math.max(0, sessionLimit - running.length),
        };
        log.info('captures.inspected', {
          running: running.length,
          stale: stale.length,
          onThisVm: result.onThisVm?.name,
        });
        return result;
      },
    },
    input,
    context,
  );
}

/** A capture deleted between the list and its status query is simply no longer there. */
async function statusOrGone(query: () => Promise<CaptureState>): Promise<CaptureState | undefined> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof AppError && error.code === 'CAPTURE_NOT_FOUND') return undefined;
    throw error;
  }
}
