import type { InstanceStatus } from '../../../local/durable';

/**
 * The numbers of .NET's `OrchestrationRuntimeStatus`: DfMon hands Fluid the enum itself, and
 * Fluid turns an enum into its number.
 */
const RUNTIME_STATUS_NUMBER: Record<string, number> = {
  Running: 0,
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  Pending: 6,
  Suspended: 7,
};

/** DfMon's `DetailedOrchestrationStatus`, the model its custom tabs are rendered against. */
export interface DfmonModel {
  Name: string;
  InstanceId: string;
  CreatedTime: string;
  LastUpdatedTime: string;
  RuntimeStatus: number | string;
  Input: unknown;
  Output: unknown;
  CustomStatus: unknown;
  EntityType: number;
  TabTemplateNames: string[];
  History: unknown[];
}

/**
 * The model DfMon builds for an instance, from the instance's status as the Durable engine keeps
 * it. Input, output and custom status are JSON (DfMon holds them as parsed JSON tokens).
 * `runtimeStatusAs: 'name'` gives the status as text instead, as a JSON-based host would.
 */
export function dfmonModel(
  status: InstanceStatus,
  options: { tabs?: string[]; runtimeStatusAs?: 'number' | 'name' } = {},
): DfmonModel {
  const runtimeStatus = RUNTIME_STATUS_NUMBER[status.runtimeStatus];
  if (runtimeStatus === undefined) throw new RangeError(`unknown runtime status ${status.runtimeStatus}`);
  return {
    Name: status.name,
    InstanceId: status.instanceId,
    CreatedTime: status.createdTime,
    LastUpdatedTime: status.lastUpdatedTime,
    RuntimeStatus: options.runtimeStatusAs === 'name' ? status.runtimeStatus : runtimeStatus,
    Input: asJson(status.input),
    Output: asJson(status.output),
    CustomStatus: asJson(status.customStatus),
    EntityType: 0,
    TabTemplateNames: options.tabs ?? [],
    History: (asJson(status.history) as unknown[] | null) ?? [],
  };
}

function asJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
