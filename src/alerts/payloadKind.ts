import { AppError } from '../errors/AppError';
import type { AlertFacts } from './alertFacts';
import { quote } from './jsonPointer';
import { ACTIVITY_LOG_SCHEMA_ID, factsFromActivityLogAlert } from './schemas/activityLogAlert';
import { factsFromAzureMonitorMetricAlert, METRIC_ALERT_SCHEMA_ID } from './schemas/azureMonitorMetricAlert';
import { factsFromClassicMetricAlert } from './schemas/classicMetricAlert';
import { COMMON_ALERT_SCHEMA_ID, factsFromCommonAlert } from './schemas/commonAlertSchema';
import { factsFromDirectRequest } from './schemas/directRequest';
import { objectOf } from './schemas/dimensions';

const BY_SCHEMA_ID = new Map<unknown, (body: unknown) => AlertFacts>([
  [COMMON_ALERT_SCHEMA_ID, factsFromCommonAlert],
  [METRIC_ALERT_SCHEMA_ID, factsFromAzureMonitorMetricAlert],
  [ACTIVITY_LOG_SCHEMA_ID, factsFromActivityLogAlert],
]);

const SUPPORTED =
  `schemaId "${COMMON_ALERT_SCHEMA_ID}", "${METRIC_ALERT_SCHEMA_ID}" or "${ACTIVITY_LOG_SCHEMA_ID}", ` +
  'a classic metric alert (status, context) or a direct request (targetVM)';

/**
 * Recognises which supported payload a body is and reads it. `schemaId` decides when present; a
 * body without one is a direct request when it has `targetVM`, a classic metric alert when it
 * has `status` and `context`.
 * @throws AppError ALERT_SCHEMA_UNKNOWN, or ALERT_SCHEMA_INVALID from the payload's own schema.
 */
export function readAlertPayload(body: unknown): AlertFacts {
  const record = objectOf(body);
  if (record === undefined) {
    throw new AppError('ALERT_SCHEMA_UNKNOWN', `The body must be a JSON object: ${SUPPORTED}.`, {
      details: { field: '' },
    });
  }
  if (Object.hasOwn(record, 'schemaId')) {
    const read = BY_SCHEMA_ID.get(record.schemaId);
    if (read === undefined) {
      throw new AppError(
        'ALERT_SCHEMA_UNKNOWN',
        `schemaId ${quote(record.schemaId, 60)} is not supported; expected ${SUPPORTED}.`,
        { details: { field: '/schemaId' } },
      );
    }
    return read(body);
  }
  if (Object.hasOwn(record, 'targetVM')) return factsFromDirectRequest(body);
  if (Object.hasOwn(record, 'status') && Object.hasOwn(record, 'context'))
    return factsFromClassicMetricAlert(body);
  throw new AppError('ALERT_SCHEMA_UNKNOWN', `The body is not a supported alert: ${SUPPORTED}.`, {
    details: { field: '' },
  });
}
