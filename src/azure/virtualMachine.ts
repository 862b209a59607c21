import type { TargetVm, UnreadNetworkInterface } from '../capture/target';
import { getArmClients, type ArmClients } from './clients';
import { armCall, armStatus, isArmNotFound, toArmError } from './armErrors';
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
  const nics = await readNetworkInterfaces(clients, vm.networkProfile?.networkInterfaces ?? []);
  return {
    id,
    name: vm.name ?? canonical.name,
    resourceGroup: canonical.resourceGroup,
    subscriptionId: canonical.subscriptionId,
    location: vm.location ?? '',
    vmUniqueId: vm.vmId,
    powerState: powerCode?.slice('PowerState/'.length),
    osType: osTypeOf(vm.storageProfile?.osDisk?.osType, vm.osProfile),
    privateIpAddresses: nics.privateIps,
    ...(nics.unread.length > 0 && { unreadNetworkInterfaces: nics.unread }),
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

/**
 * The private IPs of the VM's NICs. They only feed the report, so a NIC that cannot be read does
 * not stop the capture: one detached meanwhile (404) carries no address, one in a resource group
 * the app's identity holds no role on (401/403, a shared network group) is listed as unread.
 */
async function readNetworkInterfaces(
  clients: ArmClients,
  nics: { id?: string }[],
): Promise<{ privateIps: string[]; unread: UnreadNetworkInterface[] }> {
  const unread: UnreadNetworkInterface[] = [];
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
        if (isArmNotFound(error)) return [];
        const status = armStatus(error);
        if (status === 401 || status === 403) {
          unread.push({ id, status, ...armCodeOf(error) });
          return [];
        }
        throw toArmError(error, { operation: 'read the network interface', resourceId: id });
      }
    }),
  );
  return { privateIps: [...new Set(perNic.flat())], unread };
}

function armCodeOf(error: unknown): { armCode?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { armCode: code } : {};
}
