import type { InvocationContext } from '@azure/functions';

export type LogFields = Record<string, unknown>;

export interface ActivityLog {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * One JSON line per event, each carrying the activity, the orchestration instance and the VM so
 * that a run can be followed across activities in Application Insights. Callers pass only
 * values that are safe to log: never SAS URLs, keys or webhook addresses.
 */
export function activityLog(context: InvocationContext, scope: LogFields): ActivityLog {
  const write = (level: 'info' | 'warn' | 'error', event: string, fields?: LogFields) =>
    context[level](JSON.stringify({ event, ...scope, ...fields }));
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
