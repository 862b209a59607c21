import { z } from 'zod';
import { getConfig } from '../config';
import { captureLinks } from '../http/routes';
import { defineActivity } from './activityResult';
import { instanceIdSchema } from './schemas';

/** The settings that shape the orchestration itself (the activities read their own). */
export interface RunSettings {
  /** CAPTURE_CHECK_INTERVAL_SECONDS: the shortest interval between checks of a running capture. */
  checkIntervalSeconds: number;
  /** CAPTURE_SLOT_WAIT_SECONDS: how long to wait for a free capture slot. */
  slotWaitSeconds: number;
  /** PERMISSION_GRACE_SECONDS: how long a step refused as not yet permitted is tried again. */
  permissionGraceSeconds: number;
  /** The run's status API URL on the app's public host, for the notifications' "Run status" button. */
  statusUrl?: string;
}

/** `vmId` only labels the log lines; the settings are the app's, whatever the VM. */
const inputSchema = z.object({ instanceId: instanceIdSchema, vmId: z.string().optional() });

/**
 * Reads the run's settings once, at its start. An orchestrator must not read the environment
 * (a replay after a settings change would decide differently); the activity's result is kept in
 * the history, so every replay of the run sees the same values.
 */
export const loadRunSettings = defineActivity({
  name: 'loadRunSettings',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
  run: async ({ instanceId }): Promise<RunSettings> => {
    const config = getConfig();
    const origin = publicOrigin(process.env.WEBSITE_HOSTNAME);
    return {
      checkIntervalSeconds: config.CAPTURE_CHECK_INTERVAL_SECONDS,
      slotWaitSeconds: config.CAPTURE_SLOT_WAIT_SECONDS,
      permissionGraceSeconds: config.PERMISSION_GRACE_SECONDS,
      ...(origin && { statusUrl: captureLinks(origin, instanceId).status }),
    };
  },
});

const HOST_NAME = /^[a-z0-9.-]+(:\d{1,5})?$/i;
const LOOPBACK = /^(localhost|127\.0\.0\.1)(:|$)/i;

/**
 * The app's public origin from WEBSITE_HOSTNAME, which the platform sets (not an app setting):
 * HTTPS as App Service serves it, plain HTTP on a loopback dev host. Absent or odd: no link.
 */
function publicOrigin(hostName: string | undefined): string | undefined {
  if (!hostName || !HOST_NAME.test(hostName)) return undefined;
  return `${LOOPBACK.test(hostName) ? 'http' : 'https'}://${hostName}`;
}
