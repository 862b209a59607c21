export { installFunctionsCore, loadApp, FunctionRegistry } from './functionsCore';
export type {
  RegisteredFunction,
  HttpFunctionInfo,
  FunctionMetadata,
  RpcBinding,
  RpcTypedData,
} from './functionsCore';
export { invokeFunction, returnValueToJson } from './invoke';
export type { ActivityHandler } from './activityRunner';
export { VirtualClock, RealClock, type Clock } from './clock';
export { DurableEngine, type DurableEngineOptions, type EpisodeNotice } from './engine';
export type { InstanceStatus } from './instanceRecords';
export { createTestHost, TestHost, type TestHostOptions } from './testHost';
export { InMemoryInstanceStore, TERMINAL_STATUSES } from './instanceStore';
export type {
  InstanceStore,
  InstanceRecord,
  RuntimeStatus,
  EpisodeRecord,
  FailureInfo,
} from './instanceStore';
export { NonDeterminismError, type NonDeterminismDetails } from './NonDeterminismError';
export { DurableEngineError } from './DurableEngineError';
export { replayEveryPrefix, type PrefixReplayReport } from './replayEveryPrefix';
export { historyStats, formatHistoryStats, type HistoryStats } from './historyStats';
export { EventType, type HistoryEvent } from './historyEvents';
