import type { TargetVm } from '../capture/target';
import { getArmClients, type ArmClients } from './clients';
import { armCall, isArmNotFound, toArmError } from './armErrors';
import { splitResourceId, splitTypedResourceId } from '../security/armResourceId';

/**
 * Reads a VM by id (any casing) with its power state and private IPs, returning the canonical
 * casing Azure stores.
 */
export async function readVirtualMachine(vmId: string): Promise<TargetVm> {
  const ref = splitTypedResourceId(vmId, 'Microsoft.Compute', 'virtualMachines');
  const clients = getArmClients(ref.subscriptionId);
  const vm = await armCall(
    {
      operation: 'read the virtual machine',
      resourceId: vmId,
      notFound: {
        code: 'VM_NOT_FOUND',
        message: `Virtual machine ${vmId} does not exist; check the alert rule's target`,
      },
    },
    () => clients.compute.virtualMachines.get(ref.resourceGroup, ref.name, { expand: 'instanceView' }),
  );
  const id = vm.id ?? vmId;
  const canonical = splitResourceId(id);
  const powerCode = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
  return {
    id,
    name: vm.name ?? canonical.name,
    resourceGroup: canonical.resourceGroup,
    subscriptionId: canonical.subscriptionId,
    location: vm.location ?? '',
    vmUniqueId: vm.vmId,
    powerState: powerCode?.slice('PowerState/'.length),
    osType: osTypeOf(vm.storageProfile?.osDisk?.osType, vm.osProfile),
    privateIpAddresses: await privateIps(clients, vm.networkProfile?.networkInterfaces ?? []),
  };
}

function osTypeOf(
  diskOsType: string | undefined,
  osProfile: { linuxConfiguration?: unknown; windowsConfiguration?: unknown } | undefined,
): TargetVm['osType'] {
  if (diskOsType?.toLowerCase() === 'linux' || osProfile?.linuxConfiguration) return 'Linux';
  if (diskOsType?.toLowerCase() === 'windows' || osProfile?.windowsConfiguration) return 'Windows';
  return undefined;
}

async function privateIps(clients: ArmClients, nics: { id?: string }[]): Promise<string[]> {
  const perNic = await Promise.all(
    nics.map(async ({ id }) => {
      if (!id) return [];
      const nic = splitResourceId(id);
      try {
        const read = await clients.network.networkInterfaces.get(nic.resourceGroup, nic.name);
        return (read.ipConfigurations ?? []).flatMap((ip) =>
          ip.privateIPAddress ? [ip.privateIPAddress] : [],
        );
      } catch (error) {
        // A NIC detached while we read the VM carries no address for this capture.
        if (isArmNotFound(error)) return [];
        throw toArmError(error, { operation: 'read the network interface', resourceId: id });
      }
    }),
  );
  return [...new Set(perNic.flat())];
}
