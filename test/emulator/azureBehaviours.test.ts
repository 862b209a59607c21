import { describe, expect, it } from 'vitest';
import { computeClient, networkClient } from '../support/armClients';
import { blobAt } from '../support/captureFiles';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';

/**
 * The emulator modes for what Azure does and the emulator by default does not: a NIC in a group the
 * app may not read, role assignments that take minutes to work, a file that reaches storage after
 * Stopped (and grows while visible), stopped captures counted against the session limit, a default
 * start date on a session that never started, a create carried out after its client gave up.
 */
describe('emulator modes for Azure behaviours', () => {
  const stack = useOfflineStack({ label: 'azure-modes' });
  const network = () => networkClient(stack, stack.subscriptionId);
  const create = (name: string, vm: string, timeLimitInSeconds = 60) =>
    network().packetCaptures.create(RG, WEST, name, {
      target: stack.vmId(vm),
      storageLocation: { storageId: stack.storageAccountId },
      timeLimitInSeconds,
    });
  const session = async (name: string) => {
    const found = (await stack.admin.sessions()).find((s) => s.name === name);
    if (!found) throw new Error(`no session ${name}`);
    return found;
  };
  const withSettings = async (
    settings: Parameters<typeof stack.admin.updateSettings>[0],
    body: () => Promise<void>,
  ) => {
    const before = (await stack.admin.info()).settings;
    await stack.admin.updateSettings(settings);
    try {
      await body();
    } finally {
      await stack.admin.updateSettings(before);
    }
  };

  it('puts a NIC in a shared network group; a forbidden scope answers 403 AuthorizationFailed', async () => {
    const networkRg = `/subscriptions/${stack.subscriptionId}/resourceGroups/rg-shared-network`;
    const [vm] = await stack.admin.upsertVms([
      {
        name: 'vm-nic-elsewhere',
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: ['10.1.0.40'],
        nicResourceGroup: 'rg-shared-network',
      },
    ]);
    expect(vm!.nicId).toBe(`${networkRg}/providers/Microsoft.Network/networkInterfaces/vm-nic-elsewhere-nic`);
    const read = await computeClient(stack, stack.subscriptionId).virtualMachines.get(
      'rg-web',
      'vm-nic-elsewhere',
    );
    expect(read.networkProfile?.networkInterfaces?.[0]?.id).toBe(vm!.nicId);
    const nic = () => network().networkInterfaces.get('rg-shared-network', 'vm-nic-elsewhere-nic');
    expect((await nic()).ipConfigurations?.[0]?.privateIPAddress).toBe('10.1.0.40');

    await withSettings({ forbiddenScopes: [networkRg] }, async () => {
      const refused = await nic().catch((e: unknown) => e);
      expect(refused).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
      expect((refused as Error).message).toContain(
        "perform action 'Microsoft.Network/networkInterfaces/read' over scope " +
          `'${networkRg}/providers/Microsoft.Network/networkInterfaces/vm-nic-elsewhere-nic'`,
      );
      // The VM itself, in a group the app may read, still answers.
      await expect(
        computeClient(stack, stack.subscriptionId).virtualMachines.get('rg-web', 'vm-nic-elsewhere'),
      ).resolves.toMatchObject({ name: 'vm-nic-elsewhere' });
    });
  });

  it('refuses every request with 403 until the role assignments have propagated', async () => {
    await withSettings({ authorizationDelaySeconds: 300 }, async () => {
      await expect(network().packetCaptures.list(RG, WEST).next()).rejects.toMatchObject({
        statusCode: 403,
      });
      const refused = await network()
        .networkWatchers.get(RG, WEST)
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
      expect((refused as Error).message).toContain("perform action 'Microsoft.Network/networkWatchers/read'");
      await stack.admin.advanceClock(299_000);
      await expect(network().networkWatchers.get(RG, WEST)).rejects.toMatchObject({ statusCode: 403 });
      await stack.admin.advanceClock(1_000);
      await expect(network().networkWatchers.get(RG, WEST)).resolves.toMatchObject({ name: WEST });
    });
  });

  it('uploads the file a set time after Stopped, visible while it grows', async () => {
    await withSettings({ uploadDelaySeconds: 30, uploadGrowSeconds: 60 }, async () => {
      const created = await create('late-upload', 'vm-web-01', 10);
      const blob = blobAt(created.storageLocation!.storagePath!, stack.azurite);
      await stack.admin.advanceClock(10_000);
      expect((await network().packetCaptures.getStatus(RG, WEST, 'late-upload')).packetCaptureStatus).toBe(
        'Stopped',
      );
      expect(await blob.exists()).toBe(false);
      await stack.admin.advanceClock(30_000 + 20_000);
      const third = await blob.getProperties();
      const whole = (await session('late-upload')).fileBytes;
      expect(third.contentLength).toBe(Math.floor(whole / 3));
      await stack.admin.advanceClock(20_000);
      const twoThirds = await blob.getProperties();
      expect(twoThirds.contentLength).toBe(Math.floor((whole * 2) / 3));
      expect(twoThirds.etag).not.toBe(third.etag);
      expect(await session('late-upload')).toMatchObject({
        uploaded: false,
        uploadedBytes: twoThirds.contentLength,
      });
      await stack.admin.advanceClock(20_000);
      expect((await blob.getProperties()).contentLength).toBe(whole);
      expect(await session('late-upload')).toMatchObject({ uploaded: true, uploadedBytes: whole });
      await network().packetCaptures.delete(RG, WEST, 'late-upload');
    });
  });

  it('still uploads the file of a capture deleted before its upload', async () => {
    await withSettings({ uploadDelaySeconds: 60 }, async () => {
      const created = await create('deleted-early', 'vm-web-02', 5);
      await stack.admin.advanceClock(5_000);
      await network().packetCaptures.delete(RG, WEST, 'deleted-early');
      const blob = blobAt(created.storageLocation!.storagePath!, stack.azurite);
      expect(await blob.exists()).toBe(false);
      await stack.admin.advanceClock(60_000);
      expect((await blob.getProperties()).contentLength).toBeGreaterThan(24);
    });
  });

  it('counts only active sessions against the limit, or stopped ones too as a mode', async () => {
    await withSettings({ maxSessionsPerWatcher: 1 }, async () => {
      await create('limit-first', 'vm-web-01', 5);
      await stack.admin.advanceClock(5_000);
      await create('limit-second', 'vm-web-02', 5);
      await stack.admin.advanceClock(5_000);
      await stack.admin.updateSettings({ sessionLimitCounts: 'all' });
      await expect(create('limit-third', 'vm-web-01', 5)).rejects.toMatchObject({
        statusCode: 400,
        code: 'PacketCaptureSessionLimitReached',
      });
      await network().packetCaptures.delete(RG, WEST, 'limit-first');
      await expect(create('limit-third', 'vm-web-01', 5)).rejects.toMatchObject({
        code: 'PacketCaptureSessionLimitReached',
      });
      await network().packetCaptures.delete(RG, WEST, 'limit-second');
      await expect(create('limit-third', 'vm-web-01', 5)).resolves.toMatchObject({
        provisioningState: 'Succeeded',
      });
      await network().packetCaptures.delete(RG, WEST, 'limit-third');
    });
  });

  it('reports a default captureStartTime on a session that never started', async () => {
    await withSettings({ unstartedCaptureStartTime: '0001-01-01T00:00:00Z' }, async () => {
      await stack.admin.addFaults({ capture: [{ kind: 'neverStarts' }] });
      await create('never-started', 'vm-web-01', 30);
      const waiting = await network().packetCaptures.getStatus(RG, WEST, 'never-started');
      expect(waiting.packetCaptureStatus).toBe('NotStarted');
      expect(waiting.captureStartTime?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
      await network().packetCaptures.stop(RG, WEST, 'never-started');
      const stopped = await network().packetCaptures.getStatus(RG, WEST, 'never-started');
      expect(stopped.packetCaptureStatus).toBe('Stopped');
      expect(stopped.captureStartTime?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
      await network().packetCaptures.delete(RG, WEST, 'never-started');
    });
  });

  it('carries a create out after its client gave up (late), leaving a capture nobody asked for', async () => {
    await stack.admin.clearRequests();
    await stack.admin.addFaults({
      http: [{ route: 'create', kind: 'late', afterSeconds: 120, times: 1 }],
    });
    // The client's own retry creates it at once; the late request then meets the existing capture.
    await create('late-create', 'vm-web-02', 30);
    await network().packetCaptures.delete(RG, WEST, 'late-create');
    await expect(network().packetCaptures.get(RG, WEST, 'late-create')).rejects.toMatchObject({
      statusCode: 404,
    });
    await stack.admin.advanceClock(120_000);
    await expect(network().packetCaptures.get(RG, WEST, 'late-create')).resolves.toMatchObject({
      name: 'late-create',
    });
    const creates = (await stack.admin.requests()).recent.filter((r) => r.route === 'create');
    expect(creates.map((r) => [r.status, r.fault])).toEqual([
      [0, 'late'],
      [201, undefined],
      [201, 'late'],
    ]);
    await network().packetCaptures.delete(RG, WEST, 'late-create');
  });
});
