import type { CreateCaptureInput } from '../../../src/activities/createCapture';
import { captureNameFor } from '../../../src/capture/naming';
import type { OfflineStack } from '../../support/stack';

/** The createCapture input for a VM of the stack's inventory, at the emulator's current time. */
export async function captureInput(
  stack: OfflineStack,
  vmName: string,
  extra: Partial<CreateCaptureInput> = {},
): Promise<CreateCaptureInput> {
  const vmId = stack.vmId(vmName);
  const location = stack.namespace.vms.find((v) => v.id === vmId)!.location;
  const { now } = await stack.admin.clock();
  return {
    instanceId: `run-${vmName}`,
    vm: { id: vmId, name: vmName },
    networkWatcherId: stack.watcherId(location),
    orchestrationTime: now,
    options: { timeLimitSeconds: 60 },
    // As the orchestrator names its capture when the request pins none.
    captureName: captureNameFor({ vmName, vmId, orchestrationTime: now }),
    ...extra,
  };
}

export function refOf(input: CreateCaptureInput, captureName: string) {
  return {
    instanceId: input.instanceId,
    vmId: input.vm.id,
    networkWatcherId: input.networkWatcherId,
    captureName,
  };
}
