import { describe, expect, it } from 'vitest';
import { computeClient, networkClient } from '../support/armClients';
import { blobAt, capinfos, countMatching, downloadCapture } from '../support/captureFiles';
import { useOfflineStack } from '../support/stack';

const WATCHER_RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';
const BLOB_PATH =
  /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/network-watcher-logs\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/rg-web\/providers\/microsoft\.compute\/virtualmachines\/vm-web-0\d\/\d{4}\/\d{2}\/\d{2}\/packetcapture_\d{2}_\d{2}_\d{2}_\d{3}\.cap$/;

describe('packet capture lifecycle through the real ARM clients', () => {
  const stack = useOfflineStack({ label: 'lifecycle' });
  const network = () => networkClient(stack, stack.subscriptionId);
  const session = async (name: string) => {
    const found = (await stack.admin.sessions()).find((s) => s.name === name);
    if (!found) throw new Error(`no session ${name}`);
    return found;
  };
  const create = (name: string, vm: string, extra: Record<string, unknown> = {}, watcher = WEST) =>
    network().packetCaptures.create(WATCHER_RG, watcher, name, {
      target: stack.vmId(vm),
      storageLocation: { storageId: stack.storageAccountId },
      ...extra,
    });
  const status = (name: string, watcher = WEST) =>
    network().packetCaptures.getStatus(WATCHER_RG, watcher, name);

  it('reads the VM, its NIC, its agent extension and the region watcher as the app will', async () => {
    const compute = computeClient(stack, stack.subscriptionId);
    const vm = await compute.virtualMachines.get('rg-web', 'vm-web-01', { expand: 'instanceView' });
    expect(vm.location).toBe('westeurope');
    expect(vm.vmId).toBe('b8e0f3a2-7c41-4d6e-9a15-2f8c6d0e4b71');
    expect(vm.instanceView?.statuses?.map((s) => s.code)).toContain('PowerState/running');
    const nicId = vm.networkProfile?.networkInterfaces?.[0]?.id ?? '';
    const nicName = nicId.split('/').pop() ?? '';
    const nic = await network().networkInterfaces.get('rg-web', nicName);
    expect(nic.ipConfigurations?.map((c) => c.privateIPAddress)).toEqual(['10.1.0.4']);
    const extensions = await compute.virtualMachineExtensions.list('rg-web', 'vm-web-01');
    expect(
      extensions.value?.map((e) => [
        e.publisher,
        e.typePropertiesType,
        e.typeHandlerVersion,
        e.provisioningState,
      ]),
    ).toEqual([['Microsoft.Azure.NetworkWatcher', 'NetworkWatcherAgentLinux', '1.4', 'Succeeded']]);
    const watchers = [];
    for await (const w of network().networkWatchers.listAll()) watchers.push([w.name, w.location]);
    expect(watchers).toEqual([
      ['NetworkWatcher_westeurope', 'westeurope'],
      ['NetworkWatcher_eastus', 'eastus'],
    ]);
    const rg = await network().networkWatchers.get('networkwatcherrg', 'networkwatcher_westeurope');
    expect(rg.id).toBe(stack.watcherId('westeurope'));
  });

  it('runs a capture to its time limit and leaves a valid file where storagePath says', async () => {
    const clock = await stack.admin.clock();
    const created = await create('time-limit', 'vm-web-01', { timeLimitInSeconds: 120 });
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.target).toBe(stack.vmId('vm-web-01'));
    const storagePath = created.storageLocation?.storagePath ?? '';
    expect(storagePath).toMatch(BLOB_PATH);
    const t = new Date(clock.nowMs);
    const stamp = `${String(t.getUTCHours()).padStart(2, '0')}_${String(t.getUTCMinutes()).padStart(2, '0')}_${String(t.getUTCSeconds()).padStart(2, '0')}_${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
    expect(storagePath.endsWith(`packetcapture_${stamp}.cap`)).toBe(true);

    const running = await status('time-limit');
    expect(running.packetCaptureStatus).toBe('Running');
    expect(running.captureStartTime?.getTime()).toBe(clock.nowMs);
    expect(await blobAt(storagePath, stack.azurite).exists()).toBe(false);

    await stack.admin.advanceClock(119_000);
    expect((await status('time-limit')).packetCaptureStatus).toBe('Running');
    await stack.admin.advanceClock(1_000);
    const stopped = await status('time-limit');
    expect([stopped.packetCaptureStatus, stopped.stopReason, stopped.packetCaptureError]).toEqual([
      'Stopped',
      'TimeExceeded',
      [],
    ]);

    const info = await session('time-limit');
    expect(info.uploaded).toBe(true);
    expect(info.packets).toBeGreaterThan(5000);
    const file = await capinfos(await downloadCapture(storagePath, stack.azurite));
    expect(file).toMatchObject({
      format: 'pcap',
      packets: info.packets,
      fileBytes: info.fileBytes,
      dataBytes: info.originalBytes,
    });
    expect(file.firstPacket).toBeGreaterThanOrEqual(clock.nowMs / 1000);
    expect(file.lastPacket).toBeLessThan(clock.nowMs / 1000 + 120);

    const listed = [];
    for await (const c of network().packetCaptures.list(WATCHER_RG, WEST)) listed.push(c.name);
    expect(listed).toContain('time-limit');
    await network().packetCaptures.delete(WATCHER_RG, WEST, 'time-limit');
    await expect(network().packetCaptures.get(WATCHER_RG, WEST, 'time-limit')).rejects.toMatchObject({
      statusCode: 404,
      code: 'NotFound',
    });
    expect(await blobAt(storagePath, stack.azurite).exists()).toBe(true);
  });

  it('truncates packets to bytesToCapturePerPacket and stops when the file reaches totalBytesPerSession', async () => {
    const created = await create('byte-limit', 'vm-web-02', {
      bytesToCapturePerPacket: 96,
      totalBytesPerSession: 200_000,
      timeLimitInSeconds: 3600,
    });
    await stack.admin.advanceClock(600_000);
    const stopped = await status('byte-limit');
    expect([stopped.packetCaptureStatus, stopped.stopReason]).toEqual(['Stopped', 'BytesExceeded']);
    const info = await session('byte-limit');
    const endedAfter = Date.parse(info.endedAt ?? '') - Date.parse(info.startedAt ?? '');
    expect(endedAfter).toBeLessThan(600_000);
    expect(info.fileBytes).toBeLessThanOrEqual(200_000);
    expect(info.fileBytes).toBeGreaterThan(200_000 - 200);
    const file = await capinfos(
      await downloadCapture(created.storageLocation?.storagePath ?? '', stack.azurite),
    );
    expect(file).toMatchObject({
      snapLength: 96,
      packets: info.packets,
      fileBytes: info.fileBytes,
      dataBytes: info.originalBytes,
    });
    expect(info.capturedBytes).toBeLessThanOrEqual(96 * info.packets);
    expect(info.originalBytes).toBeGreaterThan(info.capturedBytes);
  });

  it('keeps only the packets that pass the filters, local side being the VM', async () => {
    const created = await create('filtered', 'vm-web-01', {
      timeLimitInSeconds: 60,
      filters: [
        { protocol: 'TCP', localIPAddress: '10.1.0.4', remotePort: '443' },
        { protocol: 'UDP', remotePort: '53;123;' },
      ],
    });
    const none = await create('filtered-none', 'vm-web-02', {
      timeLimitInSeconds: 60,
      filters: [{ localIPAddress: '10.200.0.1-10.200.0.9' }],
    });
    // A malformed address is taken as the service takes it: the capture runs and is empty.
    const malformed = await create('filtered-malformed', 'vm-web-02', {
      timeLimitInSeconds: 60,
      filters: [{ remoteIPAddress: '1.1.1.1-255.255.255' }],
    });
    await stack.admin.advanceClock(60_000);
    const path = await downloadCapture(created.storageLocation?.storagePath ?? '', stack.azurite);
    const file = await capinfos(path);
    expect(file.packets).toBe((await session('filtered')).packets);
    expect(file.packets).toBeGreaterThan(100);
    expect(
      await countMatching(
        path,
        'not ((tcp.port == 443 && ip.addr == 10.1.0.4) || udp.port == 53 || udp.port == 123)',
      ),
    ).toBe(0);
    expect(await countMatching(path, 'udp.port == 53')).toBeGreaterThan(0);
    expect(await countMatching(path, 'tcp.port == 443')).toBeGreaterThan(0);
    for (const capture of [none, malformed]) {
      const empty = await capinfos(
        await downloadCapture(capture.storageLocation?.storagePath ?? '', stack.azurite),
      );
      expect(empty).toMatchObject({ format: 'pcap', packets: 0, fileBytes: 24 });
    }
  });

  it('stops on request: Manual, the file covers the time until the stop', async () => {
    const clock = await stack.admin.clock();
    const created = await create('manual-stop', 'vm-web-01', { timeLimitInSeconds: 600 });
    await stack.admin.advanceClock(30_000);
    await network().packetCaptures.stop(WATCHER_RG, WEST, 'manual-stop');
    const stopped = await status('manual-stop');
    expect([stopped.packetCaptureStatus, stopped.stopReason]).toEqual(['Stopped', 'Manual']);
    const file = await capinfos(
      await downloadCapture(created.storageLocation?.storagePath ?? '', stack.azurite),
    );
    expect(file.packets).toBe((await session('manual-stop')).packets);
    expect(file.lastPacket).toBeLessThanOrEqual(clock.nowMs / 1000 + 30);
    expect(file.lastPacket).toBeGreaterThan(clock.nowMs / 1000 + 25);
  });

  it('deleting a running capture stops it and still uploads its file', async () => {
    const created = await create('delete-running', 'vm-web-02', { timeLimitInSeconds: 600 });
    await stack.admin.advanceClock(10_000);
    const before = await session('delete-running');
    expect(before.status).toBe('Running');
    await network().packetCaptures.delete(WATCHER_RG, WEST, 'delete-running');
    expect((await stack.admin.sessions()).some((s) => s.name === 'delete-running')).toBe(false);
    const file = await capinfos(
      await downloadCapture(created.storageLocation?.storagePath ?? '', stack.azurite),
    );
    expect(file.packets).toBeGreaterThan(0);
    expect(file.format).toBe('pcap');
  });

  it('writes pcapng for a VM configured so, and starts after the configured delay', async () => {
    await stack.admin.updateSettings({ captureStartDelaySeconds: 5 });
    try {
      const created = await create(
        'pcapng',
        'vm-jump-01',
        { timeLimitInSeconds: 30 },
        'NetworkWatcher_eastus',
      );
      const waiting = await status('pcapng', 'NetworkWatcher_eastus');
      expect(waiting.packetCaptureStatus).toBe('NotStarted');
      expect(waiting.captureStartTime).toBeUndefined();
      await stack.admin.advanceClock(5_000);
      expect((await status('pcapng', 'NetworkWatcher_eastus')).packetCaptureStatus).toBe('Running');
      await stack.admin.advanceClock(30_000);
      const file = await capinfos(
        await downloadCapture(created.storageLocation?.storagePath ?? '', stack.azurite),
      );
      const info = await session('pcapng');
      expect(file).toMatchObject({
        format: 'pcapng',
        packets: info.packets,
        fileBytes: info.fileBytes,
        dataBytes: info.originalBytes,
      });
    } finally {
      await stack.admin.updateSettings({ captureStartDelaySeconds: 0 });
    }
  });
});
