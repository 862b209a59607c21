import type { InvocationContext } from '@azure/functions';

export type LogFields = Record<string, unknown>;

/** The log of one function invocation: an activity's or an HTTP trigger's. */
export interface InvocationLog {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * One JSON line per event, each carrying the function's scope (the activity or trigger, the
 * orchestration instance, the VM) so that a run can be followed across functions in Application
 * Insights. Callers pass only values that are safe to log: never SAS URLs, keys or webhook
 * addresses.
 */
export function invocationLog(context: InvocationContext, scope: LogFields): InvocationLog {
  const write = (level: 'info' | 'warn' | 'error', event: string, fields?: LogFields) =>
    context[level](JSON.stringify({ event, ...scope, ...fields }));
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
