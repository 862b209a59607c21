import { describe, expect, it } from 'vitest';
import { computeClient, networkClient } from '../support/armClients';
import { rawArm } from '../support/rawArm';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';

describe('ARM error answers of the emulator', () => {
  const stack = useOfflineStack({ label: 'errors' });
  const network = () => networkClient(stack, stack.subscriptionId);
  const watcherPath = () => `${stack.watcherId('westeurope')}`;
  const create = (name: string, properties: Record<string, unknown>) =>
    network().packetCaptures.create(RG, WEST, name, {
      target: stack.vmId('vm-web-01'),
      storageLocation: { storageId: stack.storageAccountId },
      ...properties,
    } as never);

  it('refuses a request without a bearer token (401) and with a missing or unknown api-version (400)', async () => {
    const noToken = await rawArm(stack, 'GET', `${watcherPath()}?api-version=2026-01-01`, { token: null });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ error: { code: 'AuthenticationFailed' } });
    const missing = await rawArm(stack, 'GET', watcherPath());
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
    const unknown = await rawArm(stack, 'GET', `${watcherPath()}?api-version=2099-01-01`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: { code: 'InvalidApiVersionParameter', message: expect.stringContaining('2026-01-01') },
    });
    const computeVersion = await rawArm(stack, 'GET', `${stack.vmId('vm-web-01')}?api-version=2026-01-01`);
    expect(computeVersion.status).toBe(400);
  });

  it('answers ARM 404s for unknown captures, VMs, resource groups, subscriptions and paths', async () => {
    await expect(network().packetCaptures.get(RG, WEST, 'nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'NotFound',
    });
    await expect(network().packetCaptures.getStatus(RG, WEST, 'nope')).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(network().packetCaptures.stop(RG, WEST, 'nope')).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      computeClient(stack, stack.subscriptionId).virtualMachines.get('rg-web', 'vm-nope'),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    await expect(network().networkWatchers.get('rg-nope', WEST)).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
    await expect(
      networkClient(stack, '00000000-0000-0000-0000-000000000000').networkWatchers.get(RG, WEST),
    ).rejects.toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
    const unknownPath = await rawArm(
      stack,
      'GET',
      `/subscriptions/${stack.subscriptionId}/providers/Microsoft.Network/virtualNetworks?api-version=2026-01-01`,
    );
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ error: { code: 'InvalidResourceType' } });
    const wrongMethod = await rawArm(
      stack,
      'PATCH',
      `${watcherPath()}/packetCaptures/x?api-version=2026-01-01`,
      { body: {} },
    );
    expect(wrongMethod.status).toBe(405);
  });

  it('deleting a capture that does not exist answers 204 and the SDK resolves', async () => {
    await expect(network().packetCaptures.delete(RG, WEST, 'never-created')).resolves.toBeUndefined();
  });

  it.each([
    ['a range and a list mixed', { remotePort: '80-90;443' }],
    ['two ranges', { localPort: '80-90-100' }],
    ['a range without an end', { localPort: '80-' }],
    ['an unknown protocol', { protocol: 'ICMP' }],
    ['a list with an empty item', { remotePort: '80;;443' }],
  ])('refuses filters with %s (400 InvalidRequestFormat)', async (_case, filter) => {
    await expect(create('bad-filter', { filters: [filter] })).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidRequestFormat',
    });
  });

  it.each([
    ['timeLimitInSeconds above 18000', { timeLimitInSeconds: 18001 }],
    ['negative bytesToCapturePerPacket', { bytesToCapturePerPacket: -1 }],
    ['totalBytesPerSession above 2^32-1', { totalBytesPerSession: 4294967296 }],
    ['a fractional time limit', { timeLimitInSeconds: 1.5 }],
    ['no storage location', { storageLocation: {} }],
    [
      'a storage id that is not a storage account',
      { storageLocation: { storageId: stackless('/subscriptions/x/resourceGroups/y') } },
    ],
    [
      'a caller-made storagePath',
      { storageLocation: { storageId: 'ID', storagePath: 'https://x.blob.core.windows.net/c/b.cap' } },
    ],
    ['a Linux filePath outside /var/captures', { storageLocation: { filePath: '/tmp/x.cap' } }],
    ['continuous capture', { continuousCapture: true }],
  ])('refuses %s (400)', async (_case, properties) => {
    const fixed = JSON.parse(
      JSON.stringify(properties).replace('"ID"', JSON.stringify(stack.storageAccountId)),
    ) as Record<string, unknown>;
    await expect(create('bad-limits', fixed)).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidRequestFormat',
    });
  });

  it('refuses a target that is not a VM of this subscription and region, or an unknown storage account', async () => {
    const other = networkClient(stack, stack.subscriptionId).packetCaptures;
    const storageLocation = { storageId: stack.storageAccountId };
    await expect(
      other.create(RG, WEST, 'x', { target: stack.vmId('vm-sandbox-01'), storageLocation }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidResourceReference',
    });
    await expect(
      other.create(RG, WEST, 'x', { target: stack.vmId('vm-jump-01'), storageLocation }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidResourceReference',
      message: expect.stringContaining('same region'),
    });
    await expect(
      other.create(RG, WEST, 'x', { target: `${stack.vmId('vm-web-01')}/extensions/foo`, storageLocation }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'UnsupportedTargetResourceId' });
    await expect(
      other.create(RG, WEST, 'x', {
        target: stack.vmId('vm-web-01'),
        storageLocation: { storageId: stack.storageAccountId.replace(/devstoreaccount1$/, 'stunknown') },
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidResourceReference' });
    await expect(
      other.create(RG, WEST, 'bad name!', { target: stack.vmId('vm-web-01'), storageLocation }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidResourceName',
    });
  });

  it('answers 409 to a PUT on an existing capture name, whatever the body (delete first)', async () => {
    await create('twice', { timeLimitInSeconds: 60 });
    await expect(create('TWICE', { timeLimitInSeconds: 60 })).rejects.toMatchObject({
      statusCode: 409,
      code: 'PacketCaptureAlreadyExists',
    });
    await network().packetCaptures.delete(RG, WEST, 'twice');
    await expect(create('twice', { timeLimitInSeconds: 60 })).resolves.toMatchObject({
      name: 'twice',
      provisioningState: 'Succeeded',
    });
  });

  it('keeps names as created and matches them in any casing, as ARM does', async () => {
    await create('MixedCase', { timeLimitInSeconds: 60 });
    const found = await networkClient(stack, stack.subscriptionId.toUpperCase()).packetCaptures.get(
      'networkwatcherrg',
      'NETWORKWATCHER_WESTEUROPE',
      'mixedcase',
    );
    expect(found.name).toBe('MixedCase');
    expect(found.id).toBe(`${stack.watcherId('westeurope')}/packetCaptures/MixedCase`);
  });

  it('holds the sessions of a watcher under maxSessionsPerWatcher (400 beyond)', async () => {
    await stack.admin.updateSettings({ maxSessionsPerWatcher: 1 });
    try {
      const east = (name: string) =>
        network().packetCaptures.create(RG, 'NetworkWatcher_eastus', name, {
          target: stack.vmId('vm-jump-01'),
          storageLocation: { storageId: stack.storageAccountId },
        });
      await east('east-1');
      await expect(east('east-2')).rejects.toMatchObject({
        statusCode: 400,
        code: 'PacketCaptureSessionLimitReached',
      });
    } finally {
      await stack.admin.updateSettings({ maxSessionsPerWatcher: 10_000 });
    }
  });

  it('accepts a capture to a local file only: no storagePath, nothing uploaded', async () => {
    const created = await network().packetCaptures.create(RG, WEST, 'local-file', {
      target: stack.vmId('vm-web-02'),
      storageLocation: { filePath: '/var/captures/local-file.cap' },
      timeLimitInSeconds: 5,
    });
    expect(created.storageLocation).toEqual({ filePath: '/var/captures/local-file.cap' });
    await stack.admin.advanceClock(5_000);
    expect((await stack.admin.sessions()).find((x) => x.name === 'local-file')).toMatchObject({
      status: 'Stopped',
      uploaded: false,
    });
  });
});

function stackless(id: string): string {
  return `${id}/providers/Microsoft.Network/virtualNetworks/v`;
}
