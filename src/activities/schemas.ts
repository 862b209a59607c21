import { z } from 'zod';
import type { InvocationLog } from '../runtime/invocationLog';
import { hasArmIdShape } from '../security/armResourceId';
import { defineActivity, type ActivityFunction } from './activityResult';

/** Input pieces the activities share; the orchestrator builds these from earlier outputs. */

/** An id the orchestrator passes on (from ARM, or checked at the intake): its shape and type only. */
const armId = (namespaceAndType: string) =>
  z
    .string()
    .refine((id) => hasArmIdShape(id, namespaceAndType), `must be the resource id of a ${namespaceAndType}`);

export const vmIdSchema = armId('Microsoft.Compute/virtualMachines');
export const networkWatcherIdSchema = armId('Microsoft.Network/networkWatchers');
export const storageAccountIdSchema = armId('Microsoft.Storage/storageAccounts');
export const instanceIdSchema = z.string().min(1);

/** The VM as a later activity needs it: id and name (for logs and names). */
export const targetVmSchema = z.object({ id: vmIdSchema, name: z.string().min(1) });

export const captureRefSchema = z.object({
  instanceId: instanceIdSchema,
  /** For log lines only. */
  vmId: vmIdSchema.optional(),
  networkWatcherId: networkWatcherIdSchema,
  captureName: z.string().min(1).max(80),
});

export type CaptureRefInput = z.input<typeof captureRefSchema>;

/**
 * An activity on one capture the run already knows (its status, stop, delete): the input is the
 * capture reference, and every log line names the capture.
 */
export function defineCaptureRefActivity<O, N extends string>(
  name: N,
  run: (ref: z.output<typeof captureRefSchema>, log: InvocationLog) => Promise<O>,
): ActivityFunction<CaptureRefInput, O, N> {
  return defineActivity({
    name,
    schema: captureRefSchema,
    scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId, capture: i.captureName }),
    run,
  });
}
