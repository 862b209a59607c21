import { z } from 'zod';
import { accountNameOf, parseBlobLocation } from '../azure/blobLocation';
import { packetCapturesOf } from '../azure/packetCaptures';
import { sameResourceId } from '../security/armResourceId';
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
import { defineActivity } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, vmIdSchema } from './schemas';

/** queryStatus calls in flight at once: enough to be quick, few enough not to be throttled. */
const STATUS_CONCURRENCY = 4;

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  /** Canonical id of the VM to be captured. */
  vmId: vmIdSchema,
  networkWatcherId: networkWatcherIdSchema,
});

export interface InspectedCapture extends CaptureSession {
  state: CaptureState;
  /** Named by this app (`captureNameFor`). */
  createdByApp: boolean;
  /**
   * Whether the file goes to CAPTURE_STORAGE_ACCOUNT_ID, the only account the app verifies and
   * links; a joined capture writing elsewhere cannot be verified, which its report says up front.
   */
  inCaptureAccount: boolean;
}

/** A session holding a slot, named in the output (at most NAMES_LISTED of them). */
export interface RunningCaptureName {
  name: string;
  target: string;
}

export interface InspectCapturesOutput {
  /**
   * Sessions counted as holding a slot, by name, at most NAMES_LISTED: the ones known to be active
   * first, then the ones counted without a status query.
   */
  running: RunningCaptureName[];
  /** How many sessions are counted as holding a slot (see `inspectCaptures`). */
  runningCount: number;
  /** An active capture already on this VM, to be joined instead of duplicated. */
  onThisVm?: InspectedCapture;
  /** CAPTURE_SESSION_LIMIT and what is left of it. */
  sessionLimit: number;
  freeSlots: number;
}

/** Names carried into history at most: enough for a report, small on every slot check. */
export const NAMES_LISTED = 20;

type Queried = { session: CaptureSession; state: CaptureState };

/**
 * The captures on this VM and the watcher's session count against CAPTURE_SESSION_LIMIT. Read
 * only. A session whose provisioning failed holds no slot; the others are counted as holding one
 * until a status query says they ended. Statuses are queried only where they change a decision:
 * the captures on this VM (to join an active one), and the others only while the count without
 * them would reach the limit, stopping as soon as the limit is known to be reached.
 */
export const inspectCaptures = defineActivity({
  name: 'inspectCaptures',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
  run: async ({ vmId, networkWatcherId }, log): Promise<InspectCapturesOutput> => {
    const api = packetCapturesOf(networkWatcherId);
    const sessionLimit = getConfig().CAPTURE_SESSION_LIMIT;
    const sessions = (await api.list()).filter((s) => !isProvisioningFailed(s.provisioningState));
    const onVm = (s: CaptureSession) => sameResourceId(s.target, vmId);
    const queryAll = (batch: CaptureSession[]) =>
      mapWithConcurrency(batch, STATUS_CONCURRENCY, async (session): Promise<Queried | undefined> => {
        const state = await statusOrGone(() => api.status(session.name));
        return state && { session, state };
      });
    const isActive = (q: Queried | undefined): q is Queried =>
      q !== undefined && isCaptureActive(q.session, q.state);

    const active = (await queryAll(sessions.filter(onVm))).filter(isActive);
    const onThisVm = active[0];
    let queries = sessions.filter(onVm).length;
    const unqueried = sessions.filter((s) => !onVm(s));
    // Each batch can only lower the count; none is needed once it is under the limit.
    while (
      unqueried.length > 0 &&
      active.length < sessionLimit &&
      active.length + unqueried.length >= sessionLimit
    ) {
      const batch = unqueried.splice(0, STATUS_CONCURRENCY);
      queries += batch.length;
      active.push(...(await queryAll(batch)).filter(isActive));
    }
    const runningCount = active.length + unqueried.length;
    const result: InspectCapturesOutput = {
      running: [...active.map((q) => q.session), ...unqueried]
        .slice(0, NAMES_LISTED)
        .map(({ name, target }) => ({ name, target })),
      runningCount,
      ...(onThisVm && { onThisVm: inspected(onThisVm.session, onThisVm.state) }),
      sessionLimit,
      freeSlots: Math.max(0, sessionLimit - runningCount),
    };
    log.info('captures.inspected', {
      listed: sessions.length,
      running: runningCount,
      statusQueries: queries,
      onThisVm: onThisVm?.session.name,
    });
    return result;
  },
});

function inspected(session: CaptureSession, state: CaptureState): InspectedCapture {
  return {
    ...session,
    state,
    createdByApp: isAppCaptureName(session.name),
    inCaptureAccount: isInCaptureAccount(session.storagePath),
  };
}

function isInCaptureAccount(storagePath: string | undefined): boolean {
  if (!storagePath) return false;
  try {
    parseBlobLocation(storagePath, accountNameOf(getConfig().CAPTURE_STORAGE_ACCOUNT_ID));
    return true;
  } catch {
    return false;
  }
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
