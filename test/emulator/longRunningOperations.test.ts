import { describe, expect, it } from 'vitest';
import { computeClient, networkClient } from '../support/armClients';
import { rawArm } from '../support/rawArm';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';
const POLL = { updateIntervalInMs: 40 };

describe('long-running operations as @azure/core-lro polls them', () => {
  const stack = useOfflineStack({ label: 'lro', settings: { lroDelayMs: 400, retryAfterSeconds: 0 } });
  const network = () => networkClient(stack, stack.subscriptionId);
  const body = () => ({
    target: stack.vmId('vm-web-01'),
    storageLocation: { storageId: stack.storageAccountId },
    timeLimitInSeconds: 300,
  });

  it('create: 201 + Azure-AsyncOperation; Updating until the operation succeeds, then the final GET', async () => {
    const initial = await rawArm(
      stack,
      'PUT',
      `${stack.watcherId('westeurope')}/packetCaptures/raw-create?api-version=2026-01-01`,
      {
        body: { properties: body() },
      },
    );
    expect(initial.status).toBe(201);
    expect(initial.headers['azure-asyncoperation']).toMatch(
      /\/providers\/Microsoft\.Network\/locations\/westeurope\/operations\/[0-9a-f-]{36}\?api-version=2026-01-01$/,
    );
    expect(initial.headers['retry-after']).toBe('0');
    expect(initial.body).toMatchObject({ name: 'raw-create', properties: { provisioningState: 'Updating' } });
    const statusPath =
      new URL(initial.headers['azure-asyncoperation'] as string).pathname + '?api-version=2026-01-01';
    expect((await rawArm(stack, 'GET', statusPath)).body).toMatchObject({ status: 'InProgress' });

    await stack.admin.clearRequests();
    const poller = network().packetCaptures.create(RG, WEST, 'sdk-create', body(), POLL);
    await poller.submitted();
    expect((await network().packetCaptures.get(RG, WEST, 'sdk-create')).provisioningState).toBe('Updating');
    const created = await poller;
    expect(created.provisioningState).toBe('Succeeded');
    const stats = await stack.admin.requests();
    expect(stats.counts.operations?.requests).toBeGreaterThanOrEqual(3);
    expect(stats.counts.get?.requests).toBe(2);
    expect((await rawArm(stack, 'GET', statusPath)).body).toMatchObject({ status: 'Succeeded' });
  });

  it('queryStatus and stop: 202 + Location, 202 while in progress, then 200', async () => {
    await stack.admin.clearRequests();
    const status = await network().packetCaptures.getStatus(RG, WEST, 'sdk-create', POLL);
    expect(status.packetCaptureStatus).toBe('Running');
    await network().packetCaptures.stop(RG, WEST, 'sdk-create', POLL);
    const counts = (await stack.admin.requests()).counts;
    expect(counts.operations?.byStatus['202']).toBeGreaterThanOrEqual(2);
    expect(counts.operations?.byStatus['200']).toBe(2);
    expect((await network().packetCaptures.getStatus(RG, WEST, 'sdk-create', POLL)).stopReason).toBe(
      'Manual',
    );
  });

  it('delete: 202 + Location; Deleting meanwhile (a PUT is refused), gone after the 204', async () => {
    const poller = network().packetCaptures.delete(RG, WEST, 'sdk-create', POLL);
    await poller.submitted();
    expect((await network().packetCaptures.get(RG, WEST, 'sdk-create')).provisioningState).toBe('Deleting');
    await expect(network().packetCaptures.create(RG, WEST, 'sdk-create', body(), POLL)).rejects.toMatchObject(
      { statusCode: 409 },
    );
    await poller;
    await expect(network().packetCaptures.get(RG, WEST, 'sdk-create')).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await stack.admin.requests()).counts.operations?.byStatus['204']).toBe(1);
  });

  it('installing the agent extension is an LRO too: Creating, then Succeeded', async () => {
    const compute = computeClient(stack, stack.subscriptionId);
    const poller = compute.virtualMachineExtensions.createOrUpdate(
      'rg-data',
      'vm-db-01',
      'NetworkWatcherAgent',
      {
        location: 'westeurope',
        publisher: 'Microsoft.Azure.NetworkWatcher',
        typePropertiesType: 'NetworkWatcherAgentLinux',
        typeHandlerVersion: '1.4',
      },
      POLL,
    );
    await poller.submitted();
    expect(
      (await compute.virtualMachineExtensions.get('rg-data', 'vm-db-01', 'NetworkWatcherAgent'))
        .provisioningState,
    ).toBe('Creating');
    const listed = await compute.virtualMachineExtensions.list('rg-data', 'vm-db-01');
    expect(listed.value?.map((e) => [e.name, e.provisioningState])).toEqual([
      ['NetworkWatcherAgent', 'Creating'],
    ]);
    expect((await poller).provisioningState).toBe('Succeeded');
  });

  it('the SDK waits as long as Retry-After says between polls', async () => {
    await stack.admin.updateSettings({ lroDelayMs: 1500, retryAfterSeconds: 1 });
    try {
      await stack.admin.clearRequests();
      await network().packetCaptures.create(RG, WEST, 'retry-after', body(), { updateIntervalInMs: 10 });
      const polls = (await stack.admin.requests()).recent.filter((r) => r.route === 'operations');
      expect(polls.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < polls.length; i++) {
        expect((polls[i]?.atMs ?? 0) - (polls[i - 1]?.atMs ?? 0)).toBeGreaterThanOrEqual(950);
      }
    } finally {
      await stack.admin.updateSettings({ lroDelayMs: 400, retryAfterSeconds: 0 });
    }
  });
});
