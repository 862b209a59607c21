import { z } from 'zod';
import type { AlertFacts, TargetCandidate } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';
import { resourceIdDimensions } from './dimensions';
import { alertState, customProperties, ORIGIN_TEXT } from './fields';
import { parsePayload } from './parsePayload';

export const METRIC_ALERT_SCHEMA_ID = 'AzureMonitorMetricAlert';

/** The non-common metric alert payload (`data.version` "2.0"); resolution arrives as "Deactivated". */
export const azureMonitorMetricAlertSchema = z.looseObject({
  schemaId: z.literal(METRIC_ALERT_SCHEMA_ID),
  data: z.looseObject({
    version: z.string().nullish(),
    status: alertState(['Activated'], ['Deactivated', 'Resolved']),
    context: z.looseObject({
      id: ORIGIN_TEXT.alertId,
      name: ORIGIN_TEXT.ruleName,
      severity: ORIGIN_TEXT.severity,
      timestamp: ORIGIN_TEXT.firedAt,
      description: ORIGIN_TEXT.description,
      resourceId: z.string().nullish(),
      condition: z.unknown().optional(),
    }),
    properties: customProperties,
  }),
});

export function factsFromAzureMonitorMetricAlert(body: unknown): AlertFacts {
  const { data } = parsePayload(azureMonitorMetricAlertSchema, body, 'AzureMonitorMetricAlert');
  const { context } = data;
  const targets: TargetCandidate[] = [];
  if (context.resourceId != null) {
    targets.push({ value: context.resourceId, field: jsonPointer('data', 'context', 'resourceId') });
  }
  targets.push(...resourceIdDimensions(context.condition, jsonPointer('data', 'context', 'condition')));
  return {
    schema: 'azureMonitorMetricAlert',
    state: data.status,
    origin: {
      schema: 'azureMonitorMetricAlert',
      alertId: context.id,
      ruleName: context.name,
      severity: context.severity,
      firedAt: context.timestamp,
      description: context.description,
    },
    targets,
    customProperties:
      data.properties != null
        ? { value: data.properties, field: jsonPointer('data', 'properties') }
        : undefined,
  };
}
