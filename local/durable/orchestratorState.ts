/**
 * The `OrchestratorState` JSON the durable-functions SDK returns from an orchestrator invocation
 * (schema V3: one inner action array, cumulative for the current execution).
 */

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface CallActivityAction {
  actionType: typeof ActionType.CallActivity;
  functionName: string;
  input?: unknown;
}

export interface CallActivityWithRetryAction {
  actionType: typeof ActionType.CallActivityWithRetry;
  functionName: string;
  input?: unknown;
  retryOptions: RetryOptionsJson;
}

export interface ContinueAsNewAction {
  actionType: typeof ActionType.ContinueAsNew;
  input?: unknown;
}

export interface CreateTimerAction {
  actionType: typeof ActionType.CreateTimer;
  fireAt: string;
  isCanceled: boolean;
}

export interface WaitForExternalEventAction {
  actionType: typeof ActionType.WaitForExternalEvent;
  externalEventName: string;
  reason?: string;
}

export interface CompoundAction {
  actionType: typeof ActionType.WhenAny | typeof ActionType.WhenAll;
  compoundActions: OrchestratorAction[];
}

/** Sub-orchestrations, entities and durable HTTP: valid SDK actions this engine does not run. */
export interface UnsupportedAction {
  actionType:
    | typeof ActionType.CallSubOrchestrator
    | typeof ActionType.CallSubOrchestratorWithRetry
    | typeof ActionType.CallEntity
    | typeof ActionType.CallHttp
    | typeof ActionType.SignalEntity;
}

export type OrchestratorAction =
  | CallActivityAction
  | CallActivityWithRetryAction
  | ContinueAsNewAction
  | CreateTimerAction
  | WaitForExternalEventAction
  | CompoundAction
  | UnsupportedAction;

export interface OrchestratorStateJson {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion: number;
  failureDetails?: unknown;
}

const OUT_OF_PROC_DATA_LABEL = '\n\n$OutOfProcData$:';

/** What an orchestrator invocation produced: a state, or a failure (with the state when the SDK sent one). */
export type OrchestratorOutcome =
  | { kind: 'state'; state: OrchestratorStateJson }
  | { kind: 'failed'; message: string; state?: OrchestratorStateJson };

/**
 * Reads a thrown orchestrator error the way the extension does: the SDK appends
 * `$OutOfProcData$:<state JSON>` to the message; anything else is a plain function failure.
 */
export function outcomeFromError(error: unknown): OrchestratorOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(OUT_OF_PROC_DATA_LABEL);
  if (at < 0) return { kind: 'failed', message };
  const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA_LABEL.length)) as OrchestratorStateJson;
  return { kind: 'failed', message: state.error ?? message.slice(0, at), state };
}

/** The single action list of a V2/V3 state (the extension rejects any other shape). */
export function actionList(state: OrchestratorStateJson): OrchestratorAction[] {
  if (state.actions.length !== 1 || !Array.isArray(state.actions[0])) {
    throw new Error(
      `Expected exactly one action array from an out-of-process orchestrator (schema V3), got ${state.actions.length}.`,
    );
  }
  return state.actions[0];
}

/** A comparable description of an action: what the determinism check compares. */
export type ActionDescriptor =
  | { kind: 'activity'; name: string; input: string; retry?: RetryOptionsJson }
  | { kind: 'timer'; fireAt: string }
  | { kind: 'waitForEvent'; name: string }
  | { kind: 'continueAsNew'; input: string }
  | { kind: 'whenAll' | 'whenAny'; children: ActionDescriptor[] }
  | { kind: 'unsupported'; actionType: number };

export function describeAction(action: OrchestratorAction): ActionDescriptor {
  switch (action.actionType) {
    case ActionType.CallActivity:
      return { kind: 'activity', name: action.functionName, input: JSON.stringify(action.input ?? null) };
    case ActionType.CallActivityWithRetry:
      return {
        kind: 'activity',
        name: action.functionName,
        input: JSON.stringify(action.input ?? null),
        retry: action.retryOptions,
      };
    case ActionType.CreateTimer:
      return { kind: 'timer', fireAt: new Date(action.fireAt).toISOString() };
    case ActionType.WaitForExternalEvent:
      return { kind: 'waitForEvent', name: action.externalEventName };
    case ActionType.ContinueAsNew:
      return { kind: 'continueAsNew', input: JSON.stringify(action.input ?? null) };
    case ActionType.WhenAll:
    case ActionType.WhenAny:
      return {
        kind: action.actionType === ActionType.WhenAll ? 'whenAll' : 'whenAny',
        children: action.compoundActions.map(describeAction),
      };
    default:
      return { kind: 'unsupported', actionType: action.actionType };
  }
}

export function sameAction(a: ActionDescriptor, b: ActionDescriptor): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
