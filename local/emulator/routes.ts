import { Router } from './router';
import * as captures from './handlers/captures';
import * as compute from './handlers/compute';
import * as network from './handlers/network';
import * as operations from './handlers/operations';
import type { ArmHandler } from './handlers/armRequest';

const SUB = '/subscriptions/{subscriptionId}';
const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
const WATCHERS = `${RG}/providers/Microsoft.Network/networkWatchers`;
const CAPTURE = `${WATCHERS}/{networkWatcherName}/packetCaptures/{packetCaptureName}`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/{vmName}`;

/** The ARM routes the emulator serves (paths as @azure/arm-network 39 and @azure/arm-compute 25 call them). */
export function armRoutes(): Router<ArmHandler> {
  return new Router<ArmHandler>()
    .add(
      'watchers',
      'GET',
      'Microsoft.Network',
      `${SUB}/providers/Microsoft.Network/networkWatchers`,
      network.listWatchers,
    )
    .add('watchers', 'GET', 'Microsoft.Network', WATCHERS, network.listWatchers)
    .add('watchers', 'GET', 'Microsoft.Network', `${WATCHERS}/{networkWatcherName}`, network.getWatcher)
    .add(
      'list',
      'GET',
      'Microsoft.Network',
      `${WATCHERS}/{networkWatcherName}/packetCaptures`,
      captures.listCaptures,
    )
    .add('create', 'PUT', 'Microsoft.Network', CAPTURE, captures.createCapture)
    .add('get', 'GET', 'Microsoft.Network', CAPTURE, captures.getCapture)
    .add('delete', 'DELETE', 'Microsoft.Network', CAPTURE, captures.deleteCapture)
    .add('queryStatus', 'POST', 'Microsoft.Network', `${CAPTURE}/queryStatus`, captures.queryStatus)
    .add('stop', 'POST', 'Microsoft.Network', `${CAPTURE}/stop`, captures.stopCapture)
    .add(
      'nic',
      'GET',
      'Microsoft.Network',
      `${RG}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}`,
      network.getNic,
    )
    .add(
      'operations',
      'GET',
      'Microsoft.Network',
      `${SUB}/providers/Microsoft.Network/locations/{location}/operations/{operationId}`,
      operations.operationStatus,
    )
    .add(
      'operations',
      'GET',
      'Microsoft.Network',
      `${SUB}/providers/Microsoft.Network/locations/{location}/operationResults/{operationId}`,
      operations.operationResult,
    )
    .add('vm', 'GET', 'Microsoft.Compute', VM, compute.getVm)
    .add('vm', 'GET', 'Microsoft.Compute', `${VM}/instanceView`, compute.getInstanceView)
    .add('extensions', 'GET', 'Microsoft.Compute', `${VM}/extensions`, compute.listExtensions)
    .add('extensions', 'GET', 'Microsoft.Compute', `${VM}/extensions/{vmExtensionName}`, compute.getExtension)
    .add('extensions', 'PUT', 'Microsoft.Compute', `${VM}/extensions/{vmExtensionName}`, compute.putExtension)
    .add(
      'operations',
      'GET',
      'Microsoft.Compute',
      `${SUB}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}`,
      operations.operationStatus,
    )
    .add(
      'operations',
      'GET',
      'Microsoft.Compute',
      `${SUB}/providers/Microsoft.Compute/locations/{location}/operationResults/{operationId}`,
      operations.operationResult,
    );
}
