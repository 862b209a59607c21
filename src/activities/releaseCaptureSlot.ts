import { z } from 'zod';
import { appTable } from '../azure/appTables';
import { releaseSlot } from '../azure/captureSlots';
import { defineActivity } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, vmIdSchema } from './schemas';

/**
 * How long after the release a capture's slot stays held when a PUT's answer was lost: that PUT
 * may still be carried out (a late create), and the capture it makes must still count. ARM
 * documents no bound; this one is inferred, and the orphan sweep frees the slot of a late
 * capture it deletes. Counted from the release, on the orchestration's clock (the PUTs are counted
 * where they are sent, which knows no such clock).
 */
export const LATE_CREATE_HOLD_SECONDS = 1800;

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vmId: vmIdSchema.optional(),
  networkWatcherId: networkWatcherIdSchema,
  captureName: z.string().min(1).max(80),
  /** The orchestration's time. */
  now: z.iso.datetime({ offset: true }),
});

export interface ReleaseCaptureSlotOutput {
  /** Slots the capture held. */
  released: number;
  /** When the slot is held on because a PUT may still land (see LATE_CREATE_HOLD_SECONDS). */
  heldUntil?: string;
}

/**
 * Gives the capture's slot back once its capture is deleted (or was never made). When a PUT of
 * the capture went unanswered, the slot stays held for LATE_CREATE_HOLD_SECONDS more. Idempotent.
 */
export const releaseCaptureSlot = defineActivity({
  name: 'releaseCaptureSlot',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId, capture: i.captureName }),
  run: async (input, log): Promise<ReleaseCaptureSlotOutput> => {
    const nowMs = Date.parse(input.now);
    let heldUntilMs: number | undefined;
    const leases = await releaseSlot(appTable('CaptureSlots'), {
      watcherId: input.networkWatcherId,
      captureName: input.captureName,
      nowMs,
      holdUntil: (lease) => {
        if (lease.lostPuts === 0) return undefined;
        heldUntilMs = nowMs + LATE_CREATE_HOLD_SECONDS * 1000;
        return heldUntilMs;
      },
    });
    const heldUntil =
      heldUntilMs !== undefined && heldUntilMs > nowMs ? new Date(heldUntilMs).toISOString() : undefined;
    log.info(heldUntil ? 'slot.heldOn' : 'slot.released', {
      watcher: input.networkWatcherId,
      released: leases.length,
      ...(heldUntil && { heldUntil, lostPuts: leases[0]?.lostPuts }),
    });
    return { released: leases.length, ...(heldUntil && { heldUntil }) };
  },
});
