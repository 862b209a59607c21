import { z } from 'zod';
import type { AlertFacts, TargetCandidate } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';
import { objectOf } from './dimensions';
import { alertState, customProperties, ORIGIN_TEXT } from './fields';
import { parsePayload } from './parsePayload';

export const ACTIVITY_LOG_SCHEMA_ID = 'Microsoft.Insights/activityLogs';

/**
 * The non-common activity log alert payload. Activity log alerts are stateless: the status is
 * "Activated" (sometimes lower-case); a resolved status is honoured should one arrive.
 */
export const activityLogAlertSchema = z.looseObject({
  schemaId: z.literal(ACTIVITY_LOG_SCHEMA_ID),
  data: z.looseObject({
    status: alertState(['Activated'], ['Resolved', 'Deactivated']),
    context: z.looseObject({
      activityLog: z.looseObject({
        eventDataId: ORIGIN_TEXT.alertId,
        operationName: ORIGIN_TEXT.ruleName,
        level: ORIGIN_TEXT.severity,
        eventTimestamp: ORIGIN_TEXT.firedAt,
        description: ORIGIN_TEXT.description,
        resourceId: z.string().nullish(),
        authorization: z.unknown().optional(),
      }),
    }),
    properties: customProperties,
  }),
});

export function factsFromActivityLogAlert(body: unknown): AlertFacts {
  const { data } = parsePayload(activityLogAlertSchema, body, 'Activity log alert');
  const event = data.context.activityLog;
  const targets: TargetCandidate[] = [];
  if (event.resourceId != null) {
    targets.push({
      value: event.resourceId,
      field: jsonPointer('data', 'context', 'activityLog', 'resourceId'),
    });
  }
  const scope = objectOf(event.authorization)?.scope;
  if (typeof scope === 'string' && scope.startsWith('/')) {
    targets.push({
      value: scope,
      field: jsonPointer('data', 'context', 'activityLog', 'authorization', 'scope'),
    });
  }
  return {
    schema: 'activityLogAlert',
    state: data.status,
    origin: {
      schema: 'activityLogAlert',
      alertId: event.eventDataId,
      ruleName: event.operationName,
      severity: event.level,
      firedAt: event.eventTimestamp,
      description: event.description,
    },
    targets,
    customProperties:
      data.properties != null
        ? { value: data.properties, field: jsonPointer('data', 'properties') }
        : undefined,
  };
}
