import type { VmRecord, WatcherRecord } from './inventory';

/** ARM JSON bodies of the read-only resources the app looks at: VMs, their extensions and NICs, watchers. */

export const AGENT_PUBLISHER = 'Microsoft.Azure.NetworkWatcher';
export const agentType = (os: VmRecord['os']) => `NetworkWatcherAgent${os}`;

const POWER_TEXT: Record<VmRecord['powerState'], string> = {
  running: 'VM running',
  starting: 'VM starting',
  stopping: 'VM stopping',
  stopped: 'VM stopped',
  deallocating: 'VM deallocating',
  deallocated: 'VM deallocated',
};

export function vmBody(
  vm: VmRecord,
  options: { instanceView: boolean; nowMs: number },
): Record<string, unknown> {
  const windows = vm.os === 'Windows';
  return {
    name: vm.name,
    id: vm.id,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.location,
    properties: {
      vmId: vm.vmId,
      hardwareProfile: { vmSize: vm.size },
      storageProfile: {
        imageReference: windows
          ? {
              publisher: 'MicrosoftWindowsServer',
              offer: 'WindowsServer',
              sku: '2022-datacenter-azure-edition',
              version: 'latest',
            }
          : { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
        osDisk: {
          osType: vm.os,
          name: `${vm.name}_OsDisk_1`,
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS' },
          diskSizeGB: windows ? 127 : 30,
        },
      },
      osProfile: {
        computerName: vm.name,
        adminUsername: 'azureuser',
        ...(windows
          ? { windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true } }
          : { linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true } }),
      },
      networkProfile: { networkInterfaces: [{ id: vm.nicId, properties: { primary: true } }] },
      provisioningState: 'Succeeded',
      ...(options.instanceView ? { instanceView: instanceViewBody(vm, options.nowMs) } : {}),
    },
    resources: vm.agentInstalled ? [agentExtensionBody(vm)] : [],
  };
}

export function instanceViewBody(vm: VmRecord, nowMs: number): Record<string, unknown> {
  const time = new Date(nowMs).toISOString();
  const running = vm.powerState === 'running';
  return {
    computerName: vm.name,
    osName: vm.os === 'Windows' ? 'Windows Server 2022 Datacenter Azure Edition' : 'ubuntu',
    osVersion: vm.os === 'Windows' ? '10.0.20348' : '24.04',
    ...(running
      ? {
          vmAgent: {
            vmAgentVersion: '2.12.0.2',
            statuses: [
              {
                code: 'ProvisioningState/succeeded',
                level: 'Info',
                displayStatus: 'Ready',
                message: 'Guest Agent is running',
                time,
              },
            ],
          },
          extensions: vm.agentInstalled
            ? [
                {
                  name: vm.agentExtensionName,
                  type: `${AGENT_PUBLISHER}.${agentType(vm.os)}`,
                  typeHandlerVersion: '1.4.3422.1',
                  statuses: [
                    {
                      code: 'ProvisioningState/succeeded',
                      level: 'Info',
                      displayStatus: 'Provisioning succeeded',
                      time,
                    },
                  ],
                },
              ]
            : [],
        }
      : {}),
    statuses: [
      { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', time },
      { code: `PowerState/${vm.powerState}`, level: 'Info', displayStatus: POWER_TEXT[vm.powerState] },
    ],
  };
}

export function agentExtensionBody(vm: VmRecord, provisioningState = 'Succeeded'): Record<string, unknown> {
  return {
    name: vm.agentExtensionName,
    id: `${vm.id}/extensions/${vm.agentExtensionName}`,
    type: 'Microsoft.Compute/virtualMachines/extensions',
    location: vm.location,
    properties: {
      publisher: AGENT_PUBLISHER,
      type: agentType(vm.os),
      typeHandlerVersion: '1.4',
      autoUpgradeMinorVersion: true,
      provisioningState,
    },
  };
}

export function nicBody(vm: VmRecord): Record<string, unknown> {
  const vnet = `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.nicResourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet-${vm.nicResourceGroup}`;
  return {
    name: vm.nicName,
    id: vm.nicId,
    etag: `W/"${vm.vmId}"`,
    type: 'Microsoft.Network/networkInterfaces',
    location: vm.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: vm.vmId,
      ipConfigurations: vm.privateIps.map((ip, i) => ({
        name: `ipconfig${i + 1}`,
        id: `${vm.nicId}/ipConfigurations/ipconfig${i + 1}`,
        type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          provisioningState: 'Succeeded',
          privateIPAddress: ip,
          privateIPAllocationMethod: 'Dynamic',
          privateIPAddressVersion: ip.includes(':') ? 'IPv6' : 'IPv4',
          primary: i === 0,
          subnet: { id: `${vnet}/subnets/default` },
        },
      })),
      primary: true,
      enableAcceleratedNetworking: true,
      enableIPForwarding: false,
      virtualMachine: { id: vm.id },
      macAddress: '00-0D-3A-5C-21-7E',
      nicType: 'Standard',
    },
  };
}

export function watcherBody(watcher: WatcherRecord): Record<string, unknown> {
  return {
    name: watcher.name,
    id: watcher.id,
    etag: `W/"${watcher.id.length}"`,
    type: 'Microsoft.Network/networkWatchers',
    location: watcher.location,
    properties: { provisioningState: 'Succeeded' },
  };
}
