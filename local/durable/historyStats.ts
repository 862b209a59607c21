import type { InstanceRecord } from './instanceStore';

/** The figures the orchestration budgets are checked against. */
export interface HistoryStats {
  /** Events in the current execution's history (what every replay walks through). */
  historyEvents: number;
  /** Events written over all executions (continueAsNew starts a new history). */
  totalHistoryEvents: number;
  executions: number;
  /** Orchestrator invocations; each one replays the whole history of its execution. */
  replays: number;
  /** History events handed to the orchestrator, summed over all replays. */
  replayedEvents: number;
  replayCpuMs: number;
  /** Activity attempts scheduled (each retry attempt counts). */
  activityCalls: number;
  activityFailures: number;
  timersCreated: number;
  timersFired: number;
  eventsRaised: number;
}

export function historyStats(record: InstanceRecord): HistoryStats {
  const c = record.counters;
  return {
    historyEvents: record.history.length,
    totalHistoryEvents: c.historyEvents,
    executions: c.executions,
    replays: c.episodes,
    replayedEvents: c.replayedEvents,
    replayCpuMs: Math.round(c.replayCpuMs * 100) / 100,
    activityCalls: c.activityCalls,
    activityFailures: c.activityFailures,
    timersCreated: c.timersCreated,
    timersFired: c.timersFired,
    eventsRaised: c.eventsRaised,
  };
}

/** One line per figure, for benchmark output. */
export function formatHistoryStats(stats: HistoryStats): string {
  return Object.entries(stats)
    .map(([name, value]) => `${name.padEnd(20)} ${value}`)
    .join('\n');
}
