import { z } from 'zod';
import { appTable } from '../azure/appTables';
import { leaseSlot, type LeaseOutcome } from '../azure/captureSlots';
import { isValidCaptureName } from '../capture/naming';
import { getConfig } from '../config';
import { defineActivity } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, vmIdSchema } from './schemas';

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vmId: vmIdSchema.optional(),
  networkWatcherId: networkWatcherIdSchema,
  /** The capture the slot is for: the lease is held in its name. */
  captureName: z.string().refine(isValidCaptureName, 'is not a valid packet capture name'),
  /** The orchestration's time: every lease of the app is dated on the orchestrations' clock. */
  now: z.iso.datetime({ offset: true }),
  /** How long the lease lasts unless released (or renewed) first. */
  holdSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400),
});

export type LeaseCaptureSlotOutput = LeaseOutcome & { sessionLimit: number };

/**
 * Takes one of the watcher's CAPTURE_SESSION_LIMIT slots for the capture, or renews the one it
 * holds (idempotent: a retry, or a run resuming its own capture, gets the same slot). Refused,
 * not failed, when every slot is held: the run waits and asks again.
 */
export const leaseCaptureSlot = defineActivity({
  name: 'leaseCaptureSlot',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId, capture: i.captureName }),
  run: async (input, log): Promise<LeaseCaptureSlotOutput> => {
    const sessionLimit = getConfig().CAPTURE_SESSION_LIMIT;
    const nowMs = Date.parse(input.now);
    const outcome = await leaseSlot(appTable('CaptureSlots'), {
      watcherId: input.networkWatcherId,
      captureName: input.captureName,
      instanceId: input.instanceId,
      limit: sessionLimit,
      nowMs,
      expiresAtMs: nowMs + input.holdSeconds * 1000,
    });
    log.info(outcome.granted ? 'slot.leased' : 'slot.refused', {
      watcher: input.networkWatcherId,
      held: outcome.held,
      sessionLimit,
      ...(outcome.granted && { slot: outcome.slot, renewed: outcome.renewed }),
    });
    return { ...outcome, sessionLimit };
  },
});
