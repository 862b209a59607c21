import { z } from 'zod';
import type { AlertFacts, TargetCandidate } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';
import { resourceIdDimensions, objectOf } from './dimensions';
import { alertState, customProperties, ORIGIN_TEXT, text } from './fields';
import { parsePayload } from './parsePayload';

export const COMMON_ALERT_SCHEMA_ID = 'azureMonitorCommonAlertSchema';

/**
 * The common alert schema (metric "Platform", "Log Alerts V2", activity log and the rest). Only the
 * essentials are held to a shape; the alert context varies by monitoring service and is read
 * defensively.
 */
export const commonAlertSchema = z.looseObject({
  schemaId: z.literal(COMMON_ALERT_SCHEMA_ID),
  data: z.looseObject({
    essentials: z.looseObject({
      alertId: ORIGIN_TEXT.alertId,
      alertRule: ORIGIN_TEXT.ruleName,
      severity: ORIGIN_TEXT.severity,
      signalType: text(64),
      monitorCondition: alertState(['Fired'], ['Resolved']),
      monitoringService: text(128),
      alertTargetIDs: z.array(z.string()).nullish(),
      firedDateTime: ORIGIN_TEXT.firedAt,
      description: ORIGIN_TEXT.description,
    }),
    alertContext: z.unknown().optional(),
    customProperties,
  }),
});

export function factsFromCommonAlert(body: unknown): AlertFacts {
  const { data } = parsePayload(commonAlertSchema, body, 'Common alert schema');
  const { essentials } = data;
  const targets: TargetCandidate[] = (essentials.alertTargetIDs ?? []).map((value, i) => ({
    value,
    field: jsonPointer('data', 'essentials', 'alertTargetIDs', i),
  }));
  const context = objectOf(data.alertContext);
  targets.push(...resourceIdDimensions(context?.condition, jsonPointer('data', 'alertContext', 'condition')));
  if (/^activity ?log/i.test(essentials.signalType ?? '')) {
    // Activity log events name the resource in the authorization scope as well.
    const scope = objectOf(context?.authorization)?.scope;
    if (typeof scope === 'string' && scope.startsWith('/')) {
      targets.push({ value: scope, field: jsonPointer('data', 'alertContext', 'authorization', 'scope') });
    }
  }
  // Log search rules carry the custom properties in the alert context too (older payloads only there).
  const logProperties =
    essentials.monitoringService === 'Log Alerts V2' && objectOf(context?.properties) !== undefined
      ? { value: context?.properties, field: jsonPointer('data', 'alertContext', 'properties') }
      : undefined;
  return {
    schema: 'commonAlertSchema',
    state: essentials.monitorCondition,
    origin: {
      schema: 'commonAlertSchema',
      alertId: essentials.alertId,
      ruleName: essentials.alertRule,
      severity: essentials.severity,
      firedAt: essentials.firedDateTime,
      description: essentials.description,
    },
    targets,
    customProperties:
      data.customProperties != null
        ? { value: data.customProperties, field: jsonPointer('data', 'customProperties') }
        : logProperties,
  };
}
