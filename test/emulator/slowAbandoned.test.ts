import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { networkClient } from '../support/armClients';
import { useOfflineStack } from '../support/stack';

const RG = 'NetworkWatcherRG';
const WEST = 'NetworkWatcher_westeurope';

describe('a slow answer whose client gives up', () => {
  const stack = useOfflineStack({ label: 'slow-abandoned' });

  // What a client timeout leaves behind on a real service: the request arrived, so it is carried
  // out; only the answer is lost. A retry then meets the capture it asked for.
  it('is carried out at once; only the answer is held back', async () => {
    await stack.admin.addFaults({ http: [{ route: 'create', kind: 'slow', delayMs: 500, times: 1 }] });
    const network = networkClient(stack, stack.subscriptionId);
    const body = {
      target: stack.vmId('vm-web-01'),
      storageLocation: { storageId: stack.storageAccountId },
      timeLimitInSeconds: 60,
    };
    await expect(
      network.packetCaptures.create(RG, WEST, 'abandoned', body, { abortSignal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(await network.packetCaptures.get(RG, WEST, 'abandoned')).toMatchObject({ name: 'abandoned' });
    // The held answer is logged when it goes out.
    expect((await stack.admin.requests()).recent.filter((r) => r.route === 'create')).toEqual([]);
    await sleep(600);
    const creates = (await stack.admin.requests()).recent.filter((r) => r.route === 'create');
    expect(creates).toEqual([expect.objectContaining({ status: 201, fault: 'slow' })]);
  });
});
