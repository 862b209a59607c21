import { z } from 'zod';
import type { AlertFacts } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';
import { alertState, customProperties, ORIGIN_TEXT } from './fields';
import { parsePayload } from './parsePayload';

/** The classic (2015-2017) metric alert webhook: `status` Activated/Resolved, target in `context.resourceId`. */
export const classicMetricAlertSchema = z.looseObject({
  status: alertState(['Activated'], ['Resolved']),
  context: z.looseObject({
    id: ORIGIN_TEXT.alertId,
    name: ORIGIN_TEXT.ruleName,
    timestamp: ORIGIN_TEXT.firedAt,
    description: ORIGIN_TEXT.description,
    resourceId: z.string().nullish(),
  }),
  properties: customProperties,
});

export function factsFromClassicMetricAlert(body: unknown): AlertFacts {
  const { status, context, properties } = parsePayload(
    classicMetricAlertSchema,
    body,
    'Classic metric alert',
  );
  return {
    schema: 'classicMetricAlert',
    state: status,
    origin: {
      schema: 'classicMetricAlert',
      alertId: context.id,
      ruleName: context.name,
      firedAt: context.timestamp,
      description: context.description,
    },
    targets:
      context.resourceId != null
        ? [{ value: context.resourceId, field: jsonPointer('context', 'resourceId') }]
        : [],
    customProperties:
      properties != null ? { value: properties, field: jsonPointer('properties') } : undefined,
  };
}
