import { describe, expect, it } from 'vitest';
import { computeClient, networkClient } from '../support/armClients';
import { blobAt } from '../support/captureFiles';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';
const EAST = 'NetworkWatcher_eastus';

describe('capture-level faults and VMs the agent cannot capture on', () => {
  const stack = useOfflineStack({ label: 'capture-faults' });
  const network = () => networkClient(stack, stack.subscriptionId);
  const create = (name: string, vm: string, watcher = WEST, timeLimitInSeconds = 60) =>
    network().packetCaptures.create(RG, watcher, name, {
      target: stack.vmId(vm),
      storageLocation: { storageId: stack.storageAccountId },
      timeLimitInSeconds,
    });
  const status = (name: string, watcher = WEST) => network().packetCaptures.getStatus(RG, watcher, name);
  const sessionOf = async (name: string) => (await stack.admin.sessions()).find((s) => s.name === name);

  it('agentMissing on the next capture: the create operation fails, the resource stays Failed', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'agentMissing' }] });
    await expect(create('no-agent', 'vm-web-01')).rejects.toThrow(/NetworkWatcherAgentNotInstalled/);
    expect((await network().packetCaptures.get(RG, WEST, 'no-agent')).provisioningState).toBe('Failed');
    const failed = await status('no-agent');
    expect([failed.packetCaptureStatus, failed.packetCaptureError]).toEqual(['Error', ['CaptureFailed']]);
    await expect(create('after-no-agent', 'vm-web-01')).resolves.toMatchObject({
      provisioningState: 'Succeeded',
    });
  });

  it('a VM without the agent fails the same way until the agent is installed through Compute', async () => {
    const compute = computeClient(stack, stack.subscriptionId);
    expect((await compute.virtualMachineExtensions.list('rg-data', 'vm-db-01')).value).toEqual([]);
    await expect(create('db-before', 'vm-db-01')).rejects.toThrow(/NetworkWatcherAgentNotInstalled/);
    const installed = await compute.virtualMachineExtensions.createOrUpdate(
      'rg-data',
      'vm-db-01',
      'AzureNetworkWatcherExtension',
      {
        location: 'westeurope',
        publisher: 'Microsoft.Azure.NetworkWatcher',
        typePropertiesType: 'NetworkWatcherAgentLinux',
        typeHandlerVersion: '1.4',
        autoUpgradeMinorVersion: true,
      },
    );
    expect([installed.name, installed.provisioningState]).toEqual([
      'AzureNetworkWatcherExtension',
      'Succeeded',
    ]);
    const ext = await compute.virtualMachineExtensions.get(
      'rg-data',
      'vm-db-01',
      'azurenetworkwatcherextension',
    );
    expect(ext.typePropertiesType).toBe('NetworkWatcherAgentLinux');
    await expect(create('db-after', 'vm-db-01')).resolves.toMatchObject({ provisioningState: 'Succeeded' });
  });

  it('the wrong agent type for the OS fails its install; a deallocated VM refuses installs and captures', async () => {
    const compute = computeClient(stack, stack.subscriptionId);
    await expect(
      compute.virtualMachineExtensions.createOrUpdate(
        'rg-ops',
        'vm-jump-01',
        'AzureNetworkWatcherExtension',
        {
          location: 'eastus',
          publisher: 'Microsoft.Azure.NetworkWatcher',
          typePropertiesType: 'NetworkWatcherAgentLinux',
          typeHandlerVersion: '1.4',
        },
      ),
    ).rejects.toThrow(/VMExtensionProvisioningError/);
    await expect(
      compute.virtualMachineExtensions.createOrUpdate(
        'rg-ops',
        'vm-batch-01',
        'AzureNetworkWatcherExtension',
        {
          location: 'eastus',
          publisher: 'Microsoft.Azure.NetworkWatcher',
          typePropertiesType: 'NetworkWatcherAgentLinux',
          typeHandlerVersion: '1.4',
        },
      ),
    ).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    const vm = await compute.virtualMachines.get('rg-ops', 'vm-batch-01', { expand: 'instanceView' });
    expect(vm.instanceView?.statuses?.map((s) => s.code)).toContain('PowerState/deallocated');
    await expect(create('batch', 'vm-batch-01', EAST)).rejects.toThrow(/TargetVmNotRunning/);
    expect((await status('batch', EAST)).packetCaptureError).toEqual(['AgentStopped']);
  });

  it('agentStopped on a VM: the session turns to Error mid-way and no file is uploaded', async () => {
    await stack.admin.addFaults({
      capture: [{ kind: 'agentStopped', vm: 'vm-web-02', afterSeconds: 20, times: 1 }],
    });
    const created = await create('agent-dies', 'vm-web-02');
    await stack.admin.advanceClock(19_000);
    expect((await status('agent-dies')).packetCaptureStatus).toBe('Running');
    await stack.admin.advanceClock(2_000);
    const failed = await status('agent-dies');
    expect([failed.packetCaptureStatus, failed.packetCaptureError, failed.stopReason]).toEqual([
      'Error',
      ['AgentStopped'],
      '',
    ]);
    expect(await blobAt(created.storageLocation?.storagePath ?? '', stack.azurite).exists()).toBe(false);
    expect((await sessionOf('agent-dies'))?.endedAt).toBe(
      new Date(Date.parse((await sessionOf('agent-dies'))?.startedAt ?? '') + 20_000).toISOString(),
    );
  });

  it('storageFailed: the capture runs its course, then reports StorageFailed with no blob', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'storageFailed' }] });
    const created = await create('storage-fails', 'vm-web-01');
    await stack.admin.advanceClock(60_000);
    const failed = await status('storage-fails');
    expect([failed.packetCaptureStatus, failed.packetCaptureError]).toEqual(['Error', ['StorageFailed']]);
    expect(await blobAt(created.storageLocation?.storagePath ?? '', stack.azurite).exists()).toBe(false);
  });

  it('a failing upload to storage (blobUpload fault) ends the same way', async () => {
    await stack.admin.clearRequests();
    await stack.admin.addFaults({ http: [{ route: 'blobUpload', kind: 'serverError', times: 1 }] });
    await create('upload-fails', 'vm-web-01');
    await stack.admin.advanceClock(60_000);
    expect((await status('upload-fails')).packetCaptureError).toEqual(['StorageFailed']);
    expect((await stack.admin.requests()).counts.blobUpload).toMatchObject({
      faults: 1,
      byStatus: { '500': 1 },
    });
    await stack.admin.clearFaults();
  });

  it('neverStarts: the session stays NotStarted; stopping it leaves no file', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'neverStarts' }] });
    const created = await create('stuck', 'vm-web-01');
    await stack.admin.advanceClock(600_000);
    expect((await status('stuck')).packetCaptureStatus).toBe('NotStarted');
    await network().packetCaptures.stop(RG, WEST, 'stuck');
    const stopped = await status('stuck');
    expect([stopped.packetCaptureStatus, stopped.stopReason, stopped.captureStartTime]).toEqual([
      'Stopped',
      'Manual',
      undefined,
    ]);
    expect(await blobAt(created.storageLocation?.storagePath ?? '', stack.azurite).exists()).toBe(false);
  });

  it('emptyFile: the session stops normally but its blob has 0 bytes', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'emptyFile' }] });
    const created = await create('empty', 'vm-web-01');
    await stack.admin.advanceClock(60_000);
    expect((await status('empty')).packetCaptureStatus).toBe('Stopped');
    const props = await blobAt(created.storageLocation?.storagePath ?? '', stack.azurite).getProperties();
    expect(props.contentLength).toBe(0);
    expect(await sessionOf('empty')).toMatchObject({ uploaded: true, packets: 0, fileBytes: 0 });
  });
});
