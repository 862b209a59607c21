import { ArmError, badRequest } from '../armError';
import { agentExtensionBody, AGENT_PUBLISHER, agentType, instanceViewBody, vmBody } from '../armViews';
import type { VmRecord } from '../inventory';
import type { ArmHandler, ArmRequest } from './armRequest';
import { lroHeaders } from './armRequest';

const vmOf = ({ ns, params }: ArmRequest) =>
  ns.inventory.vm(
    params.subscriptionId as string,
    params.resourceGroupName as string,
    params.vmName as string,
  );

/** The agent extension being installed on the VM right now, if any. */
const installing = (request: ArmRequest, vm: VmRecord) => {
  const install = request.ns.agentInstalls.get(vm.id.toLowerCase());
  return install && !install.operation.finished && !install.operation.error ? install : undefined;
};

export const getVm: ArmHandler = (request) => {
  const expand = request.query.get('$expand');
  return {
    status: 200,
    body: vmBody(vmOf(request), {
      instanceView: expand?.toLowerCase() === 'instanceview',
      nowMs: request.ns.clock.now(),
    }),
  };
};

export const getInstanceView: ArmHandler = (request) => ({
  status: 200,
  body: instanceViewBody(vmOf(request), request.ns.clock.now()),
});

export const listExtensions: ArmHandler = (request) => {
  const vm = vmOf(request);
  const install = installing(request, vm);
  const value = vm.agentInstalled
    ? [agentExtensionBody(vm)]
    : install
      ? [agentExtensionBody({ ...vm, agentExtensionName: install.name }, 'Creating')]
      : [];
  return { status: 200, body: { value } };
};

export const getExtension: ArmHandler = (request) => {
  const vm = vmOf(request);
  const name = request.params.vmExtensionName as string;
  const install = installing(request, vm);
  if (!vm.agentInstalled && install?.name.toLowerCase() === name.toLowerCase()) {
    return { status: 200, body: agentExtensionBody({ ...vm, agentExtensionName: install.name }, 'Creating') };
  }
  if (!vm.agentInstalled || name.toLowerCase() !== vm.agentExtensionName.toLowerCase()) {
    throw new ArmError(
      404,
      'NotFound',
      `The entity was not found in this Azure location. Extension ${name} is not installed on ${vm.name}.`,
    );
  }
  return { status: 200, body: agentExtensionBody(vm) };
};

/** Installs the Network Watcher agent (the only extension the emulator knows) as an LRO. */
export const putExtension: ArmHandler = (request) => {
  const { ns, apiVersion } = request;
  const vm = vmOf(request);
  const name = request.params.vmExtensionName as string;
  const properties = (request.body as { properties?: Record<string, unknown> } | undefined)?.properties;
  const publisher = String(properties?.publisher ?? '');
  const type = String(properties?.type ?? '');
  if (
    publisher.toLowerCase() !== AGENT_PUBLISHER.toLowerCase() ||
    !/^NetworkWatcherAgent(Linux|Windows)$/i.test(type)
  ) {
    throw badRequest(
      `The emulator installs only the Network Watcher agent (publisher ${AGENT_PUBLISHER}, type NetworkWatcherAgentLinux or NetworkWatcherAgentWindows).`,
      'InvalidParameter',
    );
  }
  if (vm.powerState !== 'running') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Cannot modify extensions in the VM when the VM is not running.`,
    );
  }
  const wasInstalled = vm.agentInstalled;
  const wrongOs = type.toLowerCase() !== agentType(vm.os).toLowerCase();
  const op = ns.operations.start(
    {
      provider: 'Microsoft.Compute',
      subscriptionId: vm.subscriptionId,
      location: vm.location,
      apiVersion,
      error: wrongOs
        ? {
            code: 'VMExtensionProvisioningError',
            message: `VM has reported a failure when processing extension '${name}': ${type} does not run on ${vm.os}.`,
          }
        : undefined,
      result: () => ({ status: 200 }),
      onDone: wrongOs
        ? undefined
        : () => {
            vm.agentInstalled = true;
            vm.agentExtensionName = name;
          },
    },
    ns.settings.lroDelayMs,
  );
  ns.agentInstalls.set(vm.id.toLowerCase(), { name, operation: op });
  const shown = { ...vm, agentExtensionName: name };
  return {
    status: wasInstalled ? 200 : 201,
    body: agentExtensionBody(shown, op.finished && !wrongOs ? 'Succeeded' : 'Creating'),
    headers: lroHeaders(request, op, 'status'),
  };
};
