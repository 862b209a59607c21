import { describe, expect, it } from 'vitest';
import type { RouteName } from '../../local/emulator';
import { computeClient, networkClient } from '../support/armClients';
import { rawArm } from '../support/rawArm';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';

describe('request faults injected per route, retried by the real SDK pipeline', () => {
  const stack = useOfflineStack({ label: 'request-faults' });
  const network = () => networkClient(stack, stack.subscriptionId);
  const compute = () => computeClient(stack, stack.subscriptionId);
  const requestsOf = async (route: RouteName) => {
    const stats = await stack.admin.requests();
    return { count: stats.counts[route], recent: stats.recent.filter((r) => r.route === route) };
  };
  const fresh = async () => {
    await stack.admin.clearFaults();
    await stack.admin.clearRequests();
  };

  it('429 with Retry-After: the SDK waits as told, then succeeds', async () => {
    await fresh();
    await stack.admin.addFaults({
      http: [{ route: 'watchers', kind: 'throttle', times: 1, retryAfterSeconds: 1 }],
    });
    const watcher = await network().networkWatchers.get(RG, WEST);
    expect(watcher.name).toBe(WEST);
    const { count, recent } = await requestsOf('watchers');
    expect(count).toMatchObject({ requests: 2, faults: 1, byStatus: { '429': 1, '200': 1 } });
    expect((recent[1]?.atMs ?? 0) - (recent[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('500 and 503 are retried; a dropped connection is retried', async () => {
    await fresh();
    await stack.admin.addFaults({
      http: [
        { route: 'vm', kind: 'unavailable', times: 2, retryAfterSeconds: 0 },
        { route: 'list', kind: 'serverError', times: 1 },
        { route: 'nic', kind: 'drop', times: 1 },
      ],
    });
    await expect(compute().virtualMachines.get('rg-web', 'vm-web-01')).resolves.toMatchObject({
      name: 'vm-web-01',
    });
    const listed = [];
    for await (const c of network().packetCaptures.list(RG, WEST)) listed.push(c);
    expect(listed).toEqual([]);
    await expect(network().networkInterfaces.get('rg-web', 'vm-web-01-nic')).resolves.toMatchObject({
      name: 'vm-web-01-nic',
    });
    expect((await requestsOf('vm')).count).toMatchObject({ requests: 3, byStatus: { '503': 2, '200': 1 } });
    expect((await requestsOf('list')).count).toMatchObject({ requests: 2, byStatus: { '500': 1, '200': 1 } });
    expect((await requestsOf('nic')).count).toMatchObject({ requests: 2, byStatus: { '0': 1, '200': 1 } });
  });

  it('an error that lasts beyond the retries reaches the caller with its ARM code', async () => {
    await fresh();
    await stack.admin.addFaults({ http: [{ route: 'extensions', kind: 'serverError' }] });
    await expect(compute().virtualMachineExtensions.list('rg-web', 'vm-web-01')).rejects.toMatchObject({
      statusCode: 500,
      code: 'InternalServerError',
    });
    expect((await requestsOf('extensions')).count?.requests).toBe(4);
  });

  it('slow answers are held back by the given delay', async () => {
    await fresh();
    await stack.admin.addFaults({ http: [{ route: 'nic', kind: 'slow', delayMs: 300, times: 1 }] });
    const started = Date.now();
    await network().networkInterfaces.get('rg-web', 'vm-web-02-nic');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('throttled long-running-operation polls do not break the operation', async () => {
    await fresh();
    await stack.admin.addFaults({
      http: [{ route: 'operations', kind: 'throttle', times: 2, retryAfterSeconds: 0 }],
    });
    const created = await network().packetCaptures.create(RG, WEST, 'throttled-polls', {
      target: stack.vmId('vm-web-01'),
      storageLocation: { storageId: stack.storageAccountId },
      timeLimitInSeconds: 60,
    });
    expect(created.provisioningState).toBe('Succeeded');
    expect((await requestsOf('operations')).count?.byStatus['429']).toBe(2);
  });

  it('rate-based faults follow the seeded sequence: the same rules give the same hits', async () => {
    const pattern = async () => {
      await fresh();
      await stack.admin.addFaults({ http: [{ route: 'watchers', kind: 'serverError', rate: 0.4 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        statuses.push(
          (await rawArm(stack, 'GET', `${stack.watcherId('westeurope')}?api-version=2026-01-01`)).status,
        );
      }
      return statuses;
    };
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(22);
    await fresh();
  });

  it('refuses malformed fault rules', async () => {
    await expect(
      stack.admin.addFaults({ http: [{ route: 'nope' as RouteName, kind: 'slow' }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      stack.admin.addFaults({ http: [{ route: 'get', kind: 'serverError', rate: 2 }] }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
