import { inject, describe, expect, it } from 'vitest';
import { EmulatorAdminClient } from '../../local/emulator';
import { computeClient, networkClient } from '../support/armClients';
import { useOfflineStack } from '../support/stack';

describe('emulator namespaces keep parallel test files apart', () => {
  const stack = useOfflineStack({
    label: 'namespaces',
    clock: { mode: 'manual', startTime: '2025-03-01T08:00:00Z' },
  });
  const root = () => {
    const details = inject('offlineStack');
    return new EmulatorAdminClient({ url: details.emulatorUrl, certPem: details.certPem });
  };

  it('puts the app settings into process.env as they would be in Azure', () => {
    expect(process.env).toMatchObject({
      ARM_ENDPOINT: stack.emulatorUrl,
      AZURE_CREDENTIAL_MODE: 'emulator',
      EMULATOR_CA_CERT: stack.certPath,
      CAPTURE_STORAGE_ACCOUNT_ID: stack.storageAccountId,
      CAPTURE_STORAGE_CONNECTION: stack.azurite.connectionString,
      ALLOWED_SCOPES: `/subscriptions/${stack.subscriptionId}`,
      AzureWebJobsStorage: stack.azurite.connectionString,
    });
    expect(stack.storageAccountId).toBe(
      `/subscriptions/${stack.subscriptionId}/resourceGroups/rg-capture/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
    );
    expect(stack.outsideSubscriptionId).not.toBe(stack.subscriptionId);
  });

  it('gives each namespace its own subscriptions, clock and captures', async () => {
    const { client: other, info } = await root().createNamespace({
      name: `other-${Date.now()}`,
      clock: { mode: 'manual', startTime: 0 },
    });
    try {
      expect(info.subscriptions.map((s) => s.inventoryId)).toEqual(
        stack.namespace.subscriptions.map((s) => s.inventoryId),
      );
      expect(info.subscriptions[0]?.id).not.toBe(stack.subscriptionId);
      await other.advanceClock(3_600_000);
      expect((await stack.admin.clock()).now).toBe('2025-03-01T08:00:00.000Z');
      expect((await other.clock()).nowMs).toBe(3_600_000);
      await networkClient(stack, stack.subscriptionId).packetCaptures.create(
        'NetworkWatcherRG',
        'NetworkWatcher_westeurope',
        'mine',
        {
          target: stack.vmId('vm-web-01'),
          storageLocation: { storageId: stack.storageAccountId },
        },
      );
      expect(await other.sessions()).toEqual([]);
      const theirs = networkClient(stack, info.subscriptions[0]?.id ?? '');
      const listed = [];
      for await (const c of theirs.packetCaptures.list('NetworkWatcherRG', 'NetworkWatcher_westeurope'))
        listed.push(c);
      expect(listed).toEqual([]);
    } finally {
      await other.deleteNamespace();
    }
    await expect(
      networkClient(stack, info.subscriptions[0]?.id ?? '')
        .networkWatchers.listAll()
        .next(),
    ).rejects.toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
  });

  it('adds VMs at run time (50 of them) and captures on one', async () => {
    const added = await stack.admin.upsertVms(
      Array.from({ length: 50 }, (_, i) => ({
        name: `vm-fleet-${String(i).padStart(2, '0')}`,
        resourceGroup: 'rg-fleet',
        location: 'westeurope',
        privateIps: [`10.5.${Math.floor(i / 200)}.${(i % 200) + 10}`],
      })),
    );
    expect(added).toHaveLength(50);
    const vm = await computeClient(stack, stack.subscriptionId).virtualMachines.get(
      'rg-fleet',
      'vm-fleet-37',
    );
    expect(vm.id).toBe(added[37]?.id);
    const nic = await networkClient(stack, stack.subscriptionId).networkInterfaces.get(
      'rg-fleet',
      'vm-fleet-37-nic',
    );
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe('10.5.0.47');
    const created = await networkClient(stack, stack.subscriptionId).packetCaptures.create(
      'NetworkWatcherRG',
      'NetworkWatcher_westeurope',
      'fleet',
      {
        target: added[37]?.id ?? '',
        storageLocation: { storageId: stack.storageAccountId },
        timeLimitInSeconds: 10,
      },
    );
    expect(created.storageLocation?.storagePath).toContain(
      '/resourcegroups/rg-fleet/providers/microsoft.compute/virtualmachines/vm-fleet-37/2025/03/01/packetcapture_08_00_00_000.cap',
    );
    await stack.admin.advanceClock(10_000);
    expect((await stack.admin.sessions()).find((s) => s.name === 'fleet')).toMatchObject({
      status: 'Stopped',
      uploaded: true,
    });
  });

  it('reset brings the namespace back to its start: no captures, no added VMs, the clock at its start', async () => {
    await stack.admin.advanceClock(5_000);
    const info = await stack.admin.reset();
    expect(info.clock.now).toBe('2025-03-01T08:00:00.000Z');
    expect(info.vms.some((vm) => vm.name === 'vm-fleet-00')).toBe(false);
    expect(await stack.admin.sessions()).toEqual([]);
  });

  it('updates a VM in place (unset fields keep their values) and refuses malformed VMs', async () => {
    await stack.admin.upsertVms([
      {
        name: 'vm-web-02',
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: ['10.1.0.5'],
        powerState: 'stopped',
      },
    ]);
    const vm = await computeClient(stack, stack.subscriptionId).virtualMachines.get('rg-web', 'vm-web-02', {
      expand: 'instanceView',
    });
    expect(vm.instanceView?.statuses?.map((s) => s.code)).toContain('PowerState/stopped');
    expect(vm.vmId).toBe('c4a9d1e7-3b28-4f0a-8e63-9d5b7a1c2e08');
    expect(vm.resources?.map((e) => e.name)).toEqual(['AzureNetworkWatcherExtension']);
    await expect(
      stack.admin.upsertVms([
        { name: 'bad', resourceGroup: 'rg-web', location: 'westeurope', privateIps: ['10.0.0.300'] },
      ]),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('privateIps'),
    });
  });

  it('refuses a namespace name that exists, a clock going backwards, unknown namespaces', async () => {
    await expect(root().createNamespace({ name: stack.namespace.name })).rejects.toMatchObject({
      status: 409,
    });
    await expect(stack.admin.setClock('2000-01-01T00:00:00Z')).rejects.toMatchObject({ status: 400 });
    await expect(root().forNamespace('no-such-namespace').info()).rejects.toMatchObject({ status: 404 });
  });
});
