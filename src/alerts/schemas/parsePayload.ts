import type { z } from 'zod';
import { AppError } from '../../errors/AppError';
import { jsonPointer } from '../jsonPointer';

/**
 * Parses a payload with its schema; the first issue becomes an ALERT_SCHEMA_INVALID naming the
 * member by JSON Pointer.
 */
export function parsePayload<T extends z.ZodType>(
  schema: T,
  value: unknown,
  schemaName: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown member is named by its own pointer rather than its parent's.
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = jsonPointer(...path);
  const message = issue.code === 'unrecognized_keys' ? 'is not a member of this payload' : issue.message;
  throw new AppError('ALERT_SCHEMA_INVALID', `${schemaName} payload: ${field || 'the body'}: ${message}.`, {
    details: { field, schema: schemaName },
  });
}
