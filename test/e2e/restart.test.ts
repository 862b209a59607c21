import { beforeAll, describe, expect, it } from 'vitest';
import { sampleAlert } from './support/alerts';
import { AppClient } from './support/appClient';
import { useAppHost } from './support/appHost';

// A resolved alert stops the VM's capture in this file (RESOLVED_ALERT_ACTION=stop).
const app = useAppHost({ label: 'e2e-restart', settings: { RESOLVED_ALERT_ACTION: 'stop' } });
const client = new AppClient(() => app.host);
const vmIds = new Map<string, string>();

beforeAll(async () => {
  const added = await app.stack.admin.upsertVms(
    ['vm-restart', 'vm-resolve'].map((name, i) => ({
      name,
      resourceGroup: 'rg-web',
      location: 'westeurope',
      privateIps: [`10.8.0.${i + 4}`],
      packetsPerSecond: 40,
    })),
  );
  for (const { name, id } of added) vmIds.set(name, id);
});

const alert = (sample: 'network-out-fired' | 'network-out-resolved', vm: string, timeLimitSeconds?: number) =>
  sampleAlert(sample, {
    vmId: vmIds.get(vm)!,
    storageAccountId: app.stack.storageAccountId,
    timeLimitSeconds,
  });

describe('a dev host restart in the middle of a capture', () => {
  it('leaves the run to finish on the next host: verified, summarised, reported', async () => {
    const started = await client.postAlert(alert('network-out-fired', 'vm-restart', 180));
    expect(started.status).toBe(202);
    const id = String(started.body.id);
    await client.waitUntilCapturing(id);

    await app.host.kill();
    await expect(fetch(`${app.host.url}/api/captures/${id}`)).rejects.toThrow();
    const next = await app.restart();
    expect(next.resumed).toBeGreaterThanOrEqual(1);

    // A retry of the same alert while the run goes on joins it on the new host.
    const retried = await client.postAlert(alert('network-out-fired', 'vm-restart', 180));
    expect(retried.body).toMatchObject({ id, joined: true, joinedAs: 'sameAlert' });

    const view = await client.waitForEnd(id, 60_000);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      outcome: 'succeeded',
      capture: { status: 'Stopped', stopReason: 'TimeExceeded', stoppedBy: 'service', cleanup: 'deleted' },
    });
    expect(view.summary!.packets).toBeGreaterThan(0);
    expect(next.engine.record(id).counters.executions).toBe(1);
  }, 90_000);
});

describe('a resolved alert with RESOLVED_ALERT_ACTION=stop', () => {
  it("stops the VM's running capture early; the run still verifies and reports the file", async () => {
    const started = await client.postAlert(alert('network-out-fired', 'vm-resolve', 3600));
    const id = String(started.body.id);
    await client.waitUntilCapturing(id);

    // Another alert rule on the same VM resolving leaves this alert's capture running.
    const other = alert('network-out-resolved', 'vm-resolve');
    const essentials = (other.data as { essentials: Record<string, string> }).essentials;
    essentials.alertId =
      '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/0b7d2c4e-1f3a-4c5b-9d8e-7a6b5c4d3e2f';
    essentials.alertRule = 'vm-web-01-cpu';
    const otherAnswer = await client.postAlert(other);
    expect(otherAnswer).toMatchObject({
      status: 200,
      body: { status: 'resolved', id, outcome: 'otherAlert' },
    });
    expect(String(otherAnswer.body.reason)).toContain('vm-web-01-network-out');
    expect((await client.run(id)).body).toMatchObject({ runtimeStatus: 'Running', phase: 'capturing' });

    const resolved = await client.postAlert(alert('network-out-resolved', 'vm-resolve'));
    expect(resolved).toMatchObject({
      status: 200,
      body: { status: 'resolved', id, outcome: 'stopRequested' },
    });

    const view = await client.waitForEnd(id);
    expect(view).toMatchObject({
      outcome: 'succeeded',
      capture: { stoppedBy: 'resolvedAlert', status: 'Stopped' },
    });
    expect(view.summary!.durationSeconds).toBeLessThan(3600);

    // Once the run has ended, another resolved alert finds nothing to stop.
    const again = await client.postAlert(alert('network-out-resolved', 'vm-resolve'));
    expect(again.body).toMatchObject({ outcome: 'noActiveRun' });
  });
});
