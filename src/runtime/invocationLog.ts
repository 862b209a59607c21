import type { InvocationContext } from '@azure/functions';

/**
 * Every event the app logs, in one place: the `event` field of each JSON log line. docs/operate.md
 * lists each one (a test checks it), and a log takes no other.
 */
export const LOG_EVENTS = [
  // Any activity (activityResult.ts)
  'activity.succeeded',
  'activity.retriableFailure',
  'activity.failed',
  'activity.inputInvalid',
  // The activities' own steps
  'agent.installed',
  'captures.inspected',
  'capture.exists',
  'capture.replacingStale',
  'capture.created',
  'capture.adopted',
  'capture.status',
  'capture.stop',
  'capture.delete',
  'slot.leased',
  'slot.refused',
  'slot.released',
  'slot.heldOn',
  'blob.absent',
  'blob.observed',
  'blob.verified',
  'summary.reused',
  'summary.written',
  'summary.failed',
  'notify.noTargets',
  'notify.delivered',
  'notify.failed',
  'notify.linkFailed',
  // The orphan sweep (sweep/sweepOrphans.ts, triggers/sweepOrphanCaptures.ts)
  'orphan.suspected',
  'orphan.deleted',
  'orphan.removeFailed',
  'slot.abandonedFreed',
  'sweep.watcherUnreadable',
  'sweep.pastDue',
  'orphans.swept',
  // The orchestrator (run.ts)
  'run.phase',
  // The HTTP triggers
  'alert.refused',
  'alert.resolved',
  'alert.started',
  'alert.joined',
  'run.stopRequested',
  'run.downloadLinkIssued',
  'request.failed',
  'request.refused',
] as const;

export type LogEvent = (typeof LOG_EVENTS)[number];

export type LogFields = Record<string, unknown>;

/** The log of one function invocation: an activity's or an HTTP trigger's. */
export interface InvocationLog {
  info(event: LogEvent, fields?: LogFields): void;
  warn(event: LogEvent, fields?: LogFields): void;
  error(event: LogEvent, fields?: LogFields): void;
}

/**
 * One JSON line per event, each carrying the function's scope (the activity or trigger, the
 * orchestration instance, the VM) so that a run can be followed across functions in Application
 * Insights. Callers pass only values that are safe to log: never SAS URLs, keys or webhook
 * addresses.
 */
export function invocationLog(context: InvocationContext, scope: LogFields): InvocationLog {
  const write = (level: 'info' | 'warn' | 'error', event: LogEvent, fields?: LogFields) =>
    context[level](JSON.stringify({ event, ...scope, ...fields }));
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
