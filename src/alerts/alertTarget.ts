import { AppError } from '../errors/AppError';
import {
  isResourceType,
  parseArmResourceId,
  parseArmScope,
  resourceTypeOf,
  type ArmResourceId,
} from '../security/armResourceId';
import type { TargetCandidate } from './alertFacts';
import { quote } from './jsonPointer';

const VIRTUAL_MACHINE = 'Microsoft.Compute/virtualMachines';

/**
 * The one VM an alert names, as the intake found it: its strictly parsed id and where in the
 * payload it was. (The VM as Azure describes it, once a run has read it, is capture/target's
 * TargetVm.)
 */
export interface AlertTarget {
  id: ArmResourceId;
  /** JSON Pointer of the value the VM was taken from. */
  field: string;
}

/**
 * Finds the one virtual machine an alert is about. Every candidate must be a well-formed id (a
 * malformed one is refused, never repaired); the VMs among them, compared without case, must be
 * exactly one. An alert about something else (a workspace, a scale set, a storage account of a
 * test action) is refused with a hint.
 * @throws AppError ALERT_TARGET_MISSING, ALERT_TARGET_INVALID, ALERT_TARGET_NOT_VM or ALERT_TARGET_AMBIGUOUS.
 */
export function selectAlertTarget(candidates: readonly TargetCandidate[]): AlertTarget {
  if (candidates.length === 0) {
    throw new AppError(
      'ALERT_TARGET_MISSING',
      'The alert names no target resource (alertTargetIDs, resourceId or a resource id dimension); it cannot start a capture.',
      { details: { field: '' } },
    );
  }
  const parsed: Array<AlertTarget | { scope: string; field: string }> = candidates.map(({ value, field }) => {
    const result = parseArmResourceId(value);
    if (result.ok) return { id: result.value, field };
    // A subscription or resource group (an activity log scope, say) is well formed, just not a VM.
    const scope = parseArmScope(value);
    if (scope.ok)
      return { scope: scope.value.resourceGroup === undefined ? 'subscription' : 'resource group', field };
    throw new AppError(
      'ALERT_TARGET_INVALID',
      `${field}: ${quote(value)} is not a resource id: ${result.reason}.`,
      {
        details: { field },
      },
    );
  });
  const vms = new Map<string, AlertTarget>();
  for (const target of parsed) {
    if ('id' in target && isResourceType(target.id, VIRTUAL_MACHINE) && !vms.has(target.id.key)) {
      vms.set(target.id.key, target);
    }
  }
  if (vms.size === 1) return [...vms.values()][0]!;
  if (vms.size > 1) {
    const [first, second] = [...vms.values()];
    throw new AppError(
      'ALERT_TARGET_AMBIGUOUS',
      `The alert names ${vms.size} virtual machines (${first!.field} and ${second!.field} differ); a capture needs exactly one.`,
      { details: { field: second!.field, count: vms.size } },
    );
  }
  const first = parsed[0]!;
  const type = 'id' in first ? resourceTypeOf(first.id) : first.scope;
  throw new AppError(
    'ALERT_TARGET_NOT_VM',
    `${first.field}: the target is a ${type}, not a virtual machine.${'id' in first ? notVmHint(first.id) : ''}`,
    { details: { field: first.field, resourceType: type } },
  );
}

function notVmHint(id: ArmResourceId): string {
  if (
    isResourceType(id, 'Microsoft.Compute/virtualMachineScaleSets') ||
    id.types[0]?.toLowerCase() === 'virtualmachinescalesets'
  ) {
    return ' Scale sets are not supported; alert on the VM.';
  }
  if (isResourceType(id, 'Microsoft.OperationalInsights/workspaces')) {
    return ' For a log search alert, split the rule by _ResourceId so that the VM becomes the target.';
  }
  return '';
}
