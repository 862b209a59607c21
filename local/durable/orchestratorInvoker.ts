import type { FunctionRegistry, RegisteredFunction } from './functionsCore';
import type { HistoryEvent } from './historyEvents';
import { invokeFunction, returnValueToJson } from './invoke';
import { outcomeFromError, type OrchestratorOutcome, type OrchestratorStateJson } from './orchestratorState';
import { LONG_TIMER_INTERVAL_TIMESPAN, MAXIMUM_SHORT_TIMER_TIMESPAN } from './timing';

export interface OrchestratorInvocation {
  instanceId: string;
  /** Past events (played) followed by this episode's new events (not played). */
  history: readonly HistoryEvent[];
  /** The orchestration input, already parsed, as the extension sends it. */
  input: unknown;
}

/**
 * Runs one episode of an orchestrator through the real SDK handler, with the trigger payload the
 * Durable extension sends for schema V3 (the SDK splits long timers itself at that level).
 */
export async function invokeOrchestrator(
  registry: FunctionRegistry,
  fn: RegisteredFunction,
  invocation: OrchestratorInvocation,
): Promise<OrchestratorOutcome> {
  const payload = {
    history: invocation.history,
    input: invocation.input,
    instanceId: invocation.instanceId,
    isReplaying: invocation.history.some((event) => event.IsPlayed),
    parentInstanceId: null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: LONG_TIMER_INTERVAL_TIMESPAN,
    maximumShortTimerDuration: MAXIMUM_SHORT_TIMER_TIMESPAN,
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
  try {
    const response = await invokeFunction(registry, fn, { triggerData: { string: JSON.stringify(payload) } });
    return {
      kind: 'state',
      state: JSON.parse(returnValueToJson(response.returnValue)) as OrchestratorStateJson,
    };
  } catch (error) {
    return outcomeFromError(error);
  }
}
