import { EventType, TERMINAL_STATUSES, type HistoryEvent, type InstanceStatus } from '../durable';
import { OrchestrationStatusCode } from '../durable/historyEvents';

/** The extension's status body (`StatusResponsePayload`); the SDK needs `input` and `output` present. */
export interface StatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Array<Record<string, unknown>>;
}

export interface StatusView {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

const EVENT_NAMES = new Map<number, string>(Object.entries(EventType).map(([name, code]) => [code, name]));
const ORCHESTRATION_STATUS_NAMES = new Map<number, string>(
  Object.entries(OrchestrationStatusCode).map(([name, code]) => [code, name]),
);

// The extension formats times with the "s" pattern plus Z: seconds, no fraction.
const wholeSeconds = (iso: string): string => `${iso.slice(0, 19)}Z`;

export function statusPayload(status: InstanceStatus, view: StatusView): StatusPayload {
  return {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: view.showInput ? status.input : null,
    customStatus: status.customStatus,
    output: status.output,
    createdTime: wholeSeconds(status.createdTime),
    lastUpdatedTime: wholeSeconds(status.lastUpdatedTime),
    ...(view.showHistory && status.runtimeStatus !== 'Pending'
      ? { historyEvents: historyView(status.history ?? [], view.showHistoryOutput) }
      : {}),
  };
}

export const isTerminalStatus = (runtimeStatus: string): boolean =>
  (TERMINAL_STATUSES as readonly string[]).includes(runtimeStatus);

/**
 * The history as the extension's status API shows it: event types by name, replay bookkeeping
 * (OrchestratorStarted/Completed, EventId, IsPlayed) dropped, each TaskScheduled folded into its
 * completion (FunctionName, ScheduledTime), inputs hidden, results only with `showHistoryOutput`.
 */
export function historyView(
  history: HistoryEvent[],
  showHistoryOutput: boolean,
): Array<Record<string, unknown>> {
  const scheduled = new Map<number, { index: number; name: string; timestamp: string }>();
  const folded = new Set<number>();
  const items = history.map((event, index) => {
    const item: Record<string, unknown> = { ...event, EventType: EVENT_NAMES.get(event.EventType) };
    delete item.EventId;
    delete item.IsPlayed;
    switch (event.EventType) {
      case EventType.TaskScheduled:
        scheduled.set(event.EventId, { index, name: event.Name, timestamp: event.Timestamp });
        delete item.Version;
        delete item.Input;
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed: {
        const origin = scheduled.get(event.TaskScheduledId);
        if (origin) {
          item.ScheduledTime = origin.timestamp;
          item.FunctionName = origin.name;
          folded.add(origin.index);
        }
        delete item.TaskScheduledId;
        showResult(item, showHistoryOutput && event.EventType === EventType.TaskCompleted);
        break;
      }
      case EventType.ExecutionStarted:
        item.FunctionName = event.Name;
        for (const key of ['Name', 'OrchestrationInstance', 'ParentInstance', 'Version', 'Tags', 'Input']) {
          delete item[key];
        }
        break;
      case EventType.ExecutionCompleted:
        item.OrchestrationStatus = ORCHESTRATION_STATUS_NAMES.get(event.OrchestrationStatus);
        showResult(item, showHistoryOutput);
        break;
      case EventType.ExecutionTerminated:
      case EventType.EventRaised:
        delete item.Input;
        break;
      case EventType.TimerFired:
        delete item.TimerId;
        break;
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        folded.add(index);
        break;
    }
    return item;
  });
  return items.filter((_, index) => !folded.has(index));
}

function showResult(item: Record<string, unknown>, show: boolean): void {
  if (!show) {
    delete item.Result;
    return;
  }
  item.Result = parseLenient(item.Result);
}

/** JSON text to its value; text that is not JSON stays text (as the extension does). */
function parseLenient(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const trimmed = value.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}
