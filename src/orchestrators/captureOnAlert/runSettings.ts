import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { runActivity, type ActivityResult } from '../../activities/activityResult';
import { instanceIdSchema } from '../../activities/schemas';
import { getConfig } from '../../config';
import { LOAD_RUN_SETTINGS_ACTIVITY } from '../names';

/** The settings that shape the orchestration itself (the activities read their own). */
export interface RunSettings {
  /** CAPTURE_CHECK_INTERVAL_SECONDS: the shortest interval between checks of a running capture. */
  checkIntervalSeconds: number;
  /** CAPTURE_SLOT_WAIT_SECONDS: how long to wait for a free capture slot. */
  slotWaitSeconds: number;
}

/** `vmId` only labels the log lines; the settings are the app's, whatever the VM. */
const inputSchema = z.object({ instanceId: instanceIdSchema, vmId: z.string().optional() });

/**
 * Reads the run's settings once, at its start. An orchestrator must not read the environment
 * (a replay after a settings change would decide differently); the activity's result is kept in
 * the history, so every replay of the run sees the same values.
 */
export function loadRunSettings(
  input: unknown,
  context: InvocationContext,
): Promise<ActivityResult<RunSettings>> {
  return runActivity(
    {
      name: LOAD_RUN_SETTINGS_ACTIVITY,
      schema: inputSchema,
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
      run: async () => {
        const config = getConfig();
        return {
          checkIntervalSeconds: config.CAPTURE_CHECK_INTERVAL_SECONDS,
          slotWaitSeconds: config.CAPTURE_SLOT_WAIT_SECONDS,
        };
      },
    },
    input,
    context,
  );
}
