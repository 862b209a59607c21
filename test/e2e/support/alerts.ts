import { readAlertPayload } from '../../../scripts/alert/localDefaults';
import { retargetAlert } from '../../../scripts/alert/retarget';

export const SAMPLES = [
  'network-out-fired',
  'log-search-dns',
  'metric-alert-v2',
  'activity-log-resource-health',
  'classic-metric',
  'direct-request',
] as const;

export type SampleName = (typeof SAMPLES)[number] | 'network-out-resolved';

/**
 * A sample of samples/alerts aimed at `vmId` (and the stack's storage account), with its capture
 * time limit set where its schema carries options, so that the run stays short.
 */
export function sampleAlert(
  name: SampleName,
  target: { vmId: string; storageAccountId: string; timeLimitSeconds?: number },
): Record<string, unknown> {
  const payload = retargetAlert(readAlertPayload(name).payload, {
    vmId: target.vmId,
    storageAccountId: target.storageAccountId,
  }) as Record<string, unknown>;
  if (target.timeLimitSeconds !== undefined) setTimeLimit(payload, target.timeLimitSeconds);
  return payload;
}

function setTimeLimit(payload: Record<string, unknown>, seconds: number): void {
  const data = payload.data as Record<string, unknown> | undefined;
  if ('targetVM' in payload) {
    payload.timeLimit = seconds;
  } else if (payload.schemaId === 'azureMonitorCommonAlertSchema' && data) {
    // Log search alerts may carry the options in alertContext.properties instead.
    const context = data.alertContext as { properties?: Record<string, string> | null } | undefined;
    if (context?.properties && 'captureTimeLimitSeconds' in context.properties) {
      context.properties.captureTimeLimitSeconds = String(seconds);
    } else {
      data.customProperties = {
        ...(data.customProperties as object),
        captureTimeLimitSeconds: String(seconds),
      };
    }
  } else if (data) {
    data.properties = { ...(data.properties as object), captureTimeLimitSeconds: String(seconds) };
  } else {
    payload.properties = { ...(payload.properties as object), captureTimeLimitSeconds: String(seconds) };
  }
}
