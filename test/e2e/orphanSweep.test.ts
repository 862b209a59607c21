import { describe, expect, it } from 'vitest';
import { networkClient } from '../support/armClients';
import { sampleAlert } from './support/alerts';
import { AppClient } from './support/appClient';
import { useAppHost } from './support/appHost';

const app = useAppHost({ label: 'e2e-sweep', settings: { ORPHAN_SWEEP_AGE_SECONDS: '0' } });
const client = new AppClient(() => app.host);
const RG = 'NetworkWatcherRG';
const WATCHER = 'NetworkWatcher_westeurope';

/** The app's log events of one kind, parsed. */
function events(name: string): Record<string, unknown>[] {
  return app.logs.flatMap((line) => {
    const json = line.slice(line.indexOf('{'));
    try {
      const event = JSON.parse(json) as Record<string, unknown>;
      return event.event === name ? [event] : [];
    } catch {
      return [];
    }
  });
}

describe('the orphan sweep, a timer trigger on the dev host', () => {
  it('stops and deletes an ac- capture no live run owns, on its second sighting, and nothing else', async () => {
    const [live, orphanVm] = await app.stack.admin.upsertVms(
      ['vm-sweep-live', 'vm-sweep-orphan'].map((name, i) => ({
        name,
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: [`10.7.0.${i + 4}`],
      })),
    );
    const answer = await client.postAlert(
      sampleAlert('network-out-fired', {
        vmId: live!.id,
        storageAccountId: app.stack.storageAccountId,
        timeLimitSeconds: 3600,
      }),
    );
    expect(answer.status).toBe(202);
    const runId = String(answer.body.id);
    const running = await client.waitUntilCapturing(runId);
    const network = networkClient(app.stack, app.stack.subscriptionId);
    const create = (name: string, target: string) =>
      network.packetCaptures.create(RG, WATCHER, name, {
        target,
        storageLocation: { storageId: app.stack.storageAccountId },
        timeLimitInSeconds: 3600,
      });
    // A capture named as the app names them whose run is gone (a create that landed late), and
    // one someone made in the portal.
    const orphan = 'ac-vm-sweep-orphan-20260101-000000000';
    await create(orphan, orphanVm!.id);
    await create('portal-capture', orphanVm!.id);
    const names = async () => {
      const all = [];
      for await (const capture of network.packetCaptures.list(RG, WATCHER)) all.push(capture.name);
      return all.sort();
    };

    await app.host.runFunction('sweepOrphanCaptures');
    expect(await names()).toEqual([orphan, running.capture!.name, 'portal-capture'].sort());
    expect(events('orphan.suspected').map((e) => e.capture)).toEqual([orphan]);

    await app.host.runFunction('sweepOrphanCaptures');
    expect(await names()).toEqual([running.capture!.name, 'portal-capture'].sort());
    expect(events('orphan.deleted')).toMatchObject([{ capture: orphan, stopped: true, status: 'Running' }]);
    expect(events('orphans.swept').at(-1)).toMatchObject({
      captures: 2,
      owned: 1,
      stopped: 1,
      deleted: 1,
      failed: 0,
    });

    // The run never noticed: its capture still runs.
    expect((await client.run(runId)).body.progress).toMatchObject({ capture: { status: 'Running' } });
    await client.stop(runId, 'test over');
    await client.waitForEnd(runId);
  });

  it('runs on demand through the host admin endpoint, with the master key only', async () => {
    const url = `${app.host.url}/admin/functions/sweepOrphanCaptures`;
    const post = (key?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key && { 'x-functions-key': key }) },
        body: '{}',
      });
    expect((await post()).status).toBe(401);
    expect((await post(app.host.functionKey)).status).toBe(401);
    expect((await post(app.host.masterKey)).status).toBe(202);
    expect(
      (
        await fetch(`${app.host.url}/admin/functions/alerts`, {
          method: 'POST',
          headers: { 'x-functions-key': app.host.masterKey },
        })
      ).status,
    ).toBe(404);
  });
});
