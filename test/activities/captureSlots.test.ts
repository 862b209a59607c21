import { describe, expect, it } from 'vitest';
import { createCapture } from '../../src/activities/createCapture';
import { deleteCapture } from '../../src/activities/deleteCapture';
import { leaseCaptureSlot } from '../../src/activities/leaseCaptureSlot';
import { LATE_CREATE_HOLD_SECONDS, releaseCaptureSlot } from '../../src/activities/releaseCaptureSlot';
import { appTable } from '../../src/azure/appTables';
import { leaseSlot, leasesOf, leasedWatchers, noteLostPut, releaseSlot } from '../../src/azure/captureSlots';
import { resetConfig } from '../../src/config';
import { useOfflineStack } from '../support/stack';
import { captureInput, refOf } from './support/captureInputs';
import { invocation } from './support/invocation';

const stack = useOfflineStack({ label: 'capture-slots' });
const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
let watchers = 0;
/** A watcher of its own for each test: the partitions never meet. */
const newWatcher = () =>
  `/subscriptions/${stack.subscriptionId}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/nw-slots-${watchers++}`;
const request = (watcherId: string, captureName: string, limit: number, nowMs = T0) => ({
  watcherId,
  captureName,
  instanceId: `run-${captureName}`,
  limit,
  nowMs,
  expiresAtMs: nowMs + HOUR,
});

describe('capture session slots in the app storage table', () => {
  it('grants exactly `limit` of many leases asked for at once, each slot to one capture', async () => {
    const table = appTable('CaptureSlots');
    const watcherId = newWatcher();
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) => leaseSlot(table, request(watcherId, `ac-vm-${i}`, 4))),
    );
    const granted = outcomes.filter((o) => o.granted);
    expect(granted).toHaveLength(4);
    expect(new Set(granted.map((o) => (o.granted ? o.slot : -1)))).toEqual(new Set([0, 1, 2, 3]));
    const leases = await leasesOf(table, watcherId);
    expect(leases).toHaveLength(4);
    expect(leases.map((l) => l.slot).sort()).toEqual([0, 1, 2, 3]);
    expect(await leasedWatchers(table)).toContain(watcherId);
  });

  it('renews the slot a capture holds instead of taking another, even at the limit', async () => {
    const table = appTable('CaptureSlots');
    const watcherId = newWatcher();
    const first = await leaseSlot(table, request(watcherId, 'ac-vm-a', 1));
    const other = await leaseSlot(table, request(watcherId, 'ac-vm-b', 1));
    const again = await leaseSlot(table, { ...request(watcherId, 'ac-vm-a', 1), expiresAtMs: T0 + 2 * HOUR });
    expect(first).toMatchObject({ granted: true, slot: 0, renewed: false });
    expect(other).toMatchObject({ granted: false, held: 1, holders: ['ac-vm-a'] });
    expect(again).toMatchObject({ granted: true, slot: 0, renewed: true });
    expect((await leasesOf(table, watcherId))[0]!.expiresAt).toBe(new Date(T0 + 2 * HOUR).toISOString());
  });

  it('hands out the slot of a lease that expired (a run that vanished)', async () => {
    const table = appTable('CaptureSlots');
    const watcherId = newWatcher();
    await leaseSlot(table, request(watcherId, 'ac-vm-gone', 1));
    expect(await leaseSlot(table, request(watcherId, 'ac-vm-next', 1, T0 + HOUR - 1))).toMatchObject({
      granted: false,
    });
    expect(await leaseSlot(table, request(watcherId, 'ac-vm-next', 1, T0 + HOUR))).toMatchObject({
      granted: true,
      slot: 0,
    });
    expect((await leasesOf(table, watcherId)).map((l) => l.captureName)).toEqual(['ac-vm-next']);
  });

  it('frees a slot on release, and holds it on when a PUT whose answer was lost may still land', async () => {
    const table = appTable('CaptureSlots');
    const watcherId = newWatcher();
    await leaseSlot(table, request(watcherId, 'ac-vm-once', 2));
    await leaseSlot(table, request(watcherId, 'ac-vm-twice', 2));
    await noteLostPut(table, watcherId, 'ac-vm-twice');
    const release = (captureName: string) =>
      releaseCaptureSlot(
        {
          instanceId: `run-${captureName}`,
          networkWatcherId: watcherId,
          captureName,
          now: new Date(T0 + 10 * 60_000).toISOString(),
        },
        invocation('releaseCaptureSlot').context,
      );
    expect(await release('ac-vm-once')).toEqual({ ok: true, value: { released: 1 } });
    const heldUntil = new Date(T0 + 10 * 60_000 + LATE_CREATE_HOLD_SECONDS * 1000).toISOString();
    expect(await release('ac-vm-twice')).toEqual({ ok: true, value: { released: 1, heldUntil } });
    const leases = await leasesOf(table, watcherId);
    expect(leases).toMatchObject([{ captureName: 'ac-vm-twice', expiresAt: heldUntil, lostPuts: 1 }]);
    // Releasing what is no longer held does nothing.
    expect(await releaseSlot(table, { watcherId, captureName: 'ac-vm-once', nowMs: T0 })).toEqual([]);
  });

  it('answers through the activity with the limit it applied', async () => {
    const watcherId = newWatcher();
    process.env.CAPTURE_SESSION_LIMIT = '1';
    resetConfig();
    try {
      const lease = (captureName: string) =>
        leaseCaptureSlot(
          {
            instanceId: `run-${captureName}`,
            networkWatcherId: watcherId,
            captureName,
            now: new Date(T0).toISOString(),
            holdSeconds: 3600,
          },
          invocation('leaseCaptureSlot').context,
        );
      expect(await lease('ac-vm-first')).toMatchObject({
        ok: true,
        value: { granted: true, slot: 0, sessionLimit: 1 },
      });
      expect(await lease('ac-vm-second')).toMatchObject({
        ok: true,
        value: { granted: false, held: 1, holders: ['ac-vm-first'], sessionLimit: 1 },
      });
    } finally {
      delete process.env.CAPTURE_SESSION_LIMIT;
      resetConfig();
    }
  });

  it('counts on its slot each PUT of a capture whose answer was lost, the SDK’s own retries included', async () => {
    const input = await captureInput(stack, 'vm-web-01', { instanceId: 'run-puts' });
    const table = appTable('CaptureSlots');
    await leaseSlot(table, {
      ...request(input.networkWatcherId, input.captureName, 100),
      instanceId: 'run-puts',
    });
    // The first PUT's connection is cut: the ARM client sends it again.
    await stack.admin.addFaults({ http: [{ route: 'create', kind: 'drop', times: 1 }] });
    const created = await createCapture(input, invocation('createCapture').context);
    expect(created).toMatchObject({ ok: true });
    const [lease] = (await leasesOf(table, input.networkWatcherId)).filter(
      (l) => l.captureName === input.captureName,
    );
    expect(lease!.lostPuts).toBe(1);
    await deleteCapture(refOf(input, input.captureName), invocation('deleteCapture').context);
  });
});
