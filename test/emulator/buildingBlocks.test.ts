import { describe, expect, it } from 'vitest';
import { captureBlobName } from '../../local/emulator/blobUpload';
import { EmulatorClock } from '../../local/emulator/clock';
import { FaultInjector } from '../../local/emulator/faults';
import { guidFrom, Inventory, parseInventory, readInventoryFile } from '../../local/emulator/inventory';
import { Router } from '../../local/emulator/router';
import { SAMPLE_INVENTORY_PATH } from '../../local/emulator/server';

describe('emulator clock', () => {
  it('real mode runs at factor times wall-clock speed from the start time', () => {
    let real = 1_000;
    const clock = new EmulatorClock(
      { mode: 'real', factor: 60, startTime: '2025-01-01T00:00:00Z' },
      () => real,
    );
    real += 1_000;
    expect(clock.state().now).toBe('2025-01-01T00:01:00.000Z');
    expect(() => clock.advance(1)).toThrow(TypeError);
  });

  it('manual mode moves only forward, only when told', () => {
    const clock = new EmulatorClock({ mode: 'manual', startTime: 0 });
    expect(clock.advance(1500)).toBe(1500);
    expect(clock.set(5000)).toBe(5000);
    expect(() => clock.set(4999)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => new EmulatorClock({ mode: 'manual', startTime: 'not a date' })).toThrow(TypeError);
  });
});

describe('fault injector', () => {
  it('hits by route, counts down times, and replays the same draws after clear()', () => {
    const faults = new FaultInjector(7);
    faults.add({
      http: [
        { route: 'get', kind: 'serverError', rate: 0.5 },
        { route: '*', kind: 'throttle', times: 1 },
      ],
    });
    const draw = () => Array.from({ length: 12 }, () => faults.forRequest('get')?.kind ?? '-');
    const first = draw();
    expect(first.filter((k) => k === 'throttle')).toHaveLength(1);
    expect(faults.forRequest('list')).toBeUndefined();
    faults.clear();
    faults.add({
      http: [
        { route: 'get', kind: 'serverError', rate: 0.5 },
        { route: '*', kind: 'throttle', times: 1 },
      ],
    });
    expect(draw()).toEqual(first);
  });

  it('capture faults: the next capture by default, every capture of a named VM', () => {
    const faults = new FaultInjector(1);
    faults.add({ capture: [{ kind: 'emptyFile' }, { kind: 'storageFailed', vm: 'VM-A' }] });
    const a = {
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm-a',
      name: 'vm-a',
    };
    const b = { ...a, name: 'vm-b', id: a.id.replace('vm-a', 'vm-b') };
    expect(faults.forCapture(b).map((f) => f.kind)).toEqual(['emptyFile']);
    expect(faults.forCapture(b)).toEqual([]);
    expect(faults.forCapture(a).map((f) => f.kind)).toEqual(['storageFailed']);
    expect(faults.forCapture(a).map((f) => f.kind)).toEqual(['storageFailed']);
    expect(() => faults.add({ capture: [{ kind: 'gone' as never }] })).toThrow(TypeError);
  });
});

describe('blob names, ids and routes', () => {
  it('names the blob after the creation time, lower-cased after the container', () => {
    const vm = { subscriptionId: 'AB-CD', resourceGroup: 'RG-Web', name: 'VM-Web-01' };
    expect(captureBlobName(vm, Date.parse('2025-01-31T16:39:41.077Z'))).toBe(
      'subscriptions/ab-cd/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/vm-web-01/2025/01/31/packetcapture_16_39_41_077.cap',
    );
  });

  it('derives stable GUIDs', () => {
    expect(guidFrom('x')).toBe(guidFrom('x'));
    expect(guidFrom('x')).not.toBe(guidFrom('y'));
    expect(guidFrom('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('matches routes ignoring case and tells a wrong method apart', () => {
    const router = new Router<string>().add(
      'get',
      'GET',
      'Microsoft.Network',
      '/subscriptions/{sub}/things/{name}',
      'h',
    );
    expect(router.match('GET', '/SUBSCRIPTIONS/S1/Things/a%20b')).toMatchObject({
      params: { sub: 'S1', name: 'a b' },
    });
    expect(router.match('PUT', '/subscriptions/s1/things/x')).toEqual({ methodMismatch: true });
    expect(router.match('GET', '/subscriptions/s1/other/x')).toEqual({ methodMismatch: false });
  });
});

describe('inventory', () => {
  it('the sample has two subscriptions, two regions, six VMs with the awkward cases', () => {
    const inventory = new Inventory(readInventoryFile(SAMPLE_INVENTORY_PATH), (id) => id);
    const vms = inventory.allVms();
    expect(inventory.subscriptions()).toHaveLength(2);
    expect(new Set(vms.map((vm) => vm.location))).toEqual(new Set(['westeurope', 'eastus']));
    expect(vms).toHaveLength(6);
    expect(vms.filter((vm) => !vm.agentInstalled).map((vm) => vm.name)).toEqual(['vm-db-01']);
    expect(vms.filter((vm) => vm.powerState === 'deallocated').map((vm) => vm.name)).toEqual(['vm-batch-01']);
    expect(vms.filter((vm) => vm.os === 'Windows').map((vm) => vm.name)).toEqual(['vm-jump-01']);
    expect(inventory.findVm('VM-WEB-01')?.nicId).toMatch(/\/networkInterfaces\/vm-web-01-nic$/);
  });

  it('names the faulty entry of a bad inventory', () => {
    expect(() => parseInventory({ subscriptions: [{ subscriptionId: 'nope', displayName: 'x' }] })).toThrow(
      /subscriptions\.0\.subscriptionId must be a GUID/,
    );
  });
});
