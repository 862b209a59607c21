import { z } from 'zod';

/** Input pieces the activities share; the orchestrator builds these from earlier outputs. */

const armId = (provider: string, type: string) =>
  z
    .string()
    .regex(
      new RegExp(
        `^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/${provider.replace('.', '\\.')}/${type}/[^/]+$`,
        'i',
      ),
      `must be the resource id of a ${provider}/${type}`,
    );

export const vmIdSchema = armId('Microsoft.Compute', 'virtualMachines');
export const networkWatcherIdSchema = armId('Microsoft.Network', 'networkWatchers');
export const instanceIdSchema = z.string().min(1);

/** The VM as a later activity needs it: id and name (for logs and names). */
export const targetVmSchema = z.looseObject({ id: vmIdSchema, name: z.string().min(1) });

export const captureRefSchema = z.object({
  instanceId: instanceIdSchema,
  /** For log lines only. */
  vmId: vmIdSchema.optional(),
  networkWatcherId: networkWatcherIdSchema,
  captureName: z.string().min(1).max(80),
});

export type CaptureRefInput = z.input<typeof captureRefSchema>;
