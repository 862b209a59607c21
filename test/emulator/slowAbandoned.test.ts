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
  it('is still carried out: the capture exists once the delay has passed', async () => {
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
    await sleep(700);
    expect(await network.packetCaptures.get(RG, WEST, 'abandoned')).toMatchObject({ name: 'abandoned' });
    const creates = (await stack.admin.requests()).recent.filter((r) => r.route === 'create');
    expect(creates).toEqual([expect.objectContaining({ status: 201, fault: 'slow' })]);
  });
});
