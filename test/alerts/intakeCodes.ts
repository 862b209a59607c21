import type { ErrorCode } from '../../src/errors/catalog';

/** The refusal codes interpretAlert documents (docs/webhook.md); anything else is a defect. */
export const INTAKE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ALERT_SCHEMA_UNKNOWN',
  'ALERT_SCHEMA_INVALID',
  'ALERT_TARGET_MISSING',
  'ALERT_TARGET_INVALID',
  'ALERT_TARGET_NOT_VM',
  'ALERT_TARGET_AMBIGUOUS',
  'ALERT_TARGET_NOT_ALLOWED',
  'CAPTURE_OPTION_INVALID',
  'CAPTURE_FILTER_INVALID',
  'CAPTURE_STORAGE_NOT_ALLOWED',
]);
