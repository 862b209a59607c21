import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/triggers/runView';
import { SAMPLES, sampleAlert, type SampleName } from './support/alerts';
import { AppClient } from './support/appClient';
import { useAppHost } from './support/appHost';

const app = useAppHost({ label: 'e2e-captures' });
const client = new AppClient(() => app.host);

/** VMs of this file's namespace, one per test that runs a capture (a VM has one run at a time). */
const vmIds = new Map<string, string>();
const vm = (name: string): string => vmIds.get(name)!;
const VM_NAMES = [
  ...SAMPLES.map((sample) => `vm-${sample}`),
  'vm-resolved',
  'vm-dup',
  'vm-later',
  'vm-stop',
  'vm-cli',
];

beforeAll(async () => {
  const added = await app.stack.admin.upsertVms(
    VM_NAMES.map((name, i) => ({
      name,
      resourceGroup: 'rg-web',
      location: 'westeurope',
      privateIps: [`10.9.0.${i + 4}`],
      packetsPerSecond: 40,
    })),
  );
  for (const { name, id } of added) vmIds.set(name, id);
});

const alertFor = (sample: SampleName, vmName: string, timeLimitSeconds = 60) =>
  sampleAlert(sample, { vmId: vm(vmName), storageAccountId: app.stack.storageAccountId, timeLimitSeconds });

const SCHEMA_OF: Record<(typeof SAMPLES)[number], string> = {
  'network-out-fired': 'commonAlertSchema',
  'log-search-dns': 'commonAlertSchema',
  'metric-alert-v2': 'azureMonitorMetricAlert',
  'activity-log-resource-health': 'activityLogAlert',
  'classic-metric': 'classicMetricAlert',
  'direct-request': 'directRequest',
};

function expectNoSecret(text: string): void {
  expect(text).not.toMatch(/[?&]sig=/i);
  expect(text).not.toContain(app.host.functionKey);
  expect(text).not.toContain(app.host.systemKey);
  expect(text).not.toContain(app.host.masterKey);
  expect(text).not.toContain('AccountKey');
}

describe('POST /api/alerts, each supported schema', () => {
  const ended = new Map<string, RunView>();

  it('starts a capture that ends verified and summarised', async () => {
    const accepted = await Promise.all(
      SAMPLES.map(async (sample) => ({
        sample,
        answer: await client.postAlert(alertFor(sample, `vm-${sample}`)),
      })),
    );
    for (const { sample, answer } of accepted) {
      expect(answer.status, `${sample}: ${answer.text}`).toBe(202);
      expect(answer.body).toMatchObject({
        joined: false,
        vm: expect.stringMatching(new RegExp(`vm-${sample}$`, 'i')),
      });
      const statusUrl = `${app.host.url}/api/captures/${String(answer.body.id)}`;
      expect(answer.body.statusQueryGetUri).toBe(statusUrl);
      expect(answer.headers.get('location')).toBe(statusUrl);
      expectNoSecret(answer.text);
    }
    for (const { sample, answer } of accepted) {
      const view = await client.waitForEnd(String(answer.body.id));
      ended.set(sample, view);
      expect(view, sample).toMatchObject({
        runtimeStatus: 'Completed',
        phase: 'succeeded',
        outcome: 'succeeded',
        alert: { schema: SCHEMA_OF[sample] },
        capture: { mode: 'created', status: 'Stopped', stopReason: 'TimeExceeded', stoppedBy: 'service' },
        file: { format: expect.stringMatching(/^pcap(ng)?$/) },
      });
      expect(view.file!.size).toBeGreaterThan(24);
      expect(view.summary!.packets).toBeGreaterThan(0);
      expect(view.report!.capture!.settings.timeLimitSeconds).toBe(60);
    }
  });

  it('never shows a secret in the status API, and signs a fresh download link only on request', async () => {
    const view = ended.get('network-out-fired')!;
    const status = await client.run(view.id);
    expect(status.status).toBe(200);
    expectNoSecret(status.text);

    const capture = await client.downloadLink(view.id);
    expect(capture.status, capture.text).toBe(200);
    expect(capture.headers.get('cache-control')).toBe('no-store');
    expect(capture.body).toMatchObject({
      file: 'capture',
      blobUrl: view.file!.url,
      url: expect.stringContaining('sig='),
    });
    const bytes = new Uint8Array(await (await fetch(String(capture.body.url))).arrayBuffer());
    expect(bytes.byteLength).toBe(view.file!.size);
    expect(Buffer.from(bytes.subarray(0, 4)).readUInt32LE(0)).toBe(0xa1b2c3d4);

    const summary = await client.downloadLink(view.id, 'summary');
    const sidecar = (await (await fetch(String(summary.body.url))).json()) as { packets: number };
    expect(sidecar.packets).toBe(view.summary!.packets);
    // The link went to the caller only: the run's state still holds none.
    expectNoSecret((await client.run(view.id)).text);
  });

  it('lists the runs by VM name, resource id and status', async () => {
    const byName = await client.list({ vm: 'vm-classic-metric' });
    expect(byName.status).toBe(200);
    expect(byName.body.runs.map((run) => run.id)).toEqual([ended.get('classic-metric')!.id]);
    const byId = await client.list({ vm: vm('vm-direct-request'), status: 'completed' });
    expect(byId.body.runs.map((run) => run.id)).toEqual([ended.get('direct-request')!.id]);
    const completed = await client.list({ status: 'Completed', limit: '500' });
    expect(completed.body.runs.map((run) => run.id)).toEqual(
      expect.arrayContaining([...ended.values()].map((run) => run.id)),
    );
    expect((await client.list({ status: 'Running' })).body.runs.map((run) => run.id)).not.toContain(
      ended.get('classic-metric')!.id,
    );
    const refused = await client.list({ status: 'Sleeping' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', field: 'status' } });
  });

  it('starts a new run under the same id once the previous one has finished', async () => {
    const previous = ended.get('metric-alert-v2')!;
    const again = await client.postAlert(alertFor('metric-alert-v2', 'vm-metric-alert-v2'));
    expect(again.body).toMatchObject({ id: previous.id, joined: false });
    const view = await client.waitForEnd(previous.id);
    expect(view.outcome).toBe('succeeded');
    expect(Date.parse(view.createdTime)).toBeGreaterThan(Date.parse(previous.createdTime));
  });

  it('keeps the built-in Durable status URL working for the holder of the system key', async () => {
    const id = ended.get('log-search-dns')!.id;
    const response = await fetch(
      `${app.host.url}/runtime/webhooks/durabletask/instances/${id}?code=${encodeURIComponent(app.host.systemKey)}`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ instanceId: id, runtimeStatus: 'Completed' });
  });
});

describe('POST /api/alerts, what starts nothing', () => {
  it('answers a resolved alert with 200 and starts nothing', async () => {
    const answer = await client.postAlert(alertFor('network-out-resolved', 'vm-resolved'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'resolved', outcome: 'ignored' });
    const run = await client.run(String(answer.body.id));
    expect(run).toMatchObject({ status: 404, body: { code: 'RUN_NOT_FOUND' } });
  });

  it.each([
    {
      what: 'another resource type',
      send: () =>
        client.postAlert(
          JSON.parse(
            readFileSync(
              join(__dirname, '..', 'alerts', 'fixtures', 'common-test-action-storage.json'),
              'utf8',
            ),
          ),
        ),
      status: 422,
      code: 'ALERT_TARGET_NOT_VM',
    },
    {
      what: 'a VM outside the allow-list',
      send: () =>
        client.postAlert(
          sampleAlert('network-out-fired', {
            vmId: app.stack.vmId('vm-sandbox-01'),
            storageAccountId: app.stack.storageAccountId,
          }),
        ),
      status: 403,
      code: 'ALERT_TARGET_NOT_ALLOWED',
    },
    {
      what: 'a malformed body',
      send: () => client.postRaw('{"schemaId": '),
      status: 400,
      code: 'ALERT_NOT_JSON',
    },
    {
      what: 'an unknown payload',
      send: () => client.postAlert({ hello: 'world' }),
      status: 400,
      code: 'ALERT_SCHEMA_UNKNOWN',
    },
    {
      what: 'a body over 256 KB',
      send: () => client.postRaw(JSON.stringify({ schemaId: 'x', pad: 'x'.repeat(300 * 1024) })),
      status: 413,
      code: 'ALERT_BODY_TOO_LARGE',
    },
    {
      what: 'a body that is not JSON',
      send: () => client.postRaw('<alert/>', { headers: { 'content-type': 'application/xml' } }),
      status: 415,
      code: 'ALERT_UNSUPPORTED_MEDIA_TYPE',
    },
  ])('refuses $what with $status $code as problem+json', async ({ send, status, code }) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status, code, type: `urn:alert-capture:error:${code}` });
  });

  it('refuses a call without the function key before reading it', async () => {
    const answer = await client.postAlert(alertFor('network-out-fired', 'vm-resolved'), { key: null });
    expect(answer.status).toBe(401);
    expect((await client.list({ vm: 'vm-resolved' })).body.runs).toEqual([]);
  });
});

describe('duplicates', () => {
  it('starts exactly one run for many identical deliveries at once; the others join it', async () => {
    const alert = alertFor('network-out-fired', 'vm-dup');
    const answers = await Promise.all(Array.from({ length: 25 }, () => client.postAlert(alert)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.joined === false)).toHaveLength(1);
    for (const joined of answers.filter((a) => a.body.joined === true)) {
      expect(joined.body.runtimeStatus).toMatch(/^(Pending|Running)$/);
      // The run's own alert again: nothing is passed to the run.
      expect(joined.body.joinedAs).toBe('sameAlert');
    }
    const [id] = [...ids] as string[];
    expect(app.host.engine.listInstances().filter((s) => s.instanceId === id)).toHaveLength(1);
    expect(app.host.engine.record(id!).counters.executions).toBe(1);
    expect((await client.waitForEnd(id!)).outcome).toBe('succeeded');
  });
});

describe('a later firing on a VM whose run is capturing', () => {
  it('joins the live capture (202 joinedAs liveCapture), and the run reports it covered', async () => {
    const first = alertFor('network-out-fired', 'vm-later', 120);
    const started = await client.postAlert(first);
    const id = String(started.body.id);
    await client.waitUntilCapturing(id);

    const later = structuredClone(first) as { data: { essentials: Record<string, string> } };
    later.data.essentials.alertId = `${later.data.essentials.alertId}-again`;
    later.data.essentials.firedDateTime = new Date().toISOString();
    const joined = await client.postAlert(later);
    expect(joined.status).toBe(202);
    expect(joined.body).toMatchObject({ id, joined: true, joinedAs: 'liveCapture' });

    const view = await client.waitForEnd(id);
    expect(view).toMatchObject({
      outcome: 'succeeded',
      report: { joinedAlerts: [{ alertId: later.data.essentials.alertId }] },
    });
    expect(view.report?.followUp).toBeUndefined();
  });
});

describe('POST /api/captures/{id}/stop', () => {
  it('stops a running capture; the run still verifies and reports the file', async () => {
    const started = await client.postAlert(alertFor('network-out-fired', 'vm-stop', 3600));
    const id = String(started.body.id);
    const running = await client.waitUntilCapturing(id);
    expect(running).toMatchObject({
      runtimeStatus: 'Running',
      capture: { name: expect.stringMatching(/^ac-vm-stop-/) },
    });
    const polled = await client.run(id);
    expect(polled.status).toBe(202);
    expect(polled.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(polled.headers.get('location')).toBe(polled.body.links.status);
    const stop = await client.stop(id, 'enough seen');
    expect(stop.status, stop.text).toBe(202);
    expect(stop.body).toMatchObject({ id, stopRequested: true, reason: 'enough seen' });
    const view = await client.waitForEnd(id);
    expect(view).toMatchObject({
      outcome: 'succeeded',
      capture: { stoppedBy: 'operator', status: 'Stopped', stopRequest: { reason: 'enough seen' } },
    });
    expect(view.summary!.packets).toBeGreaterThan(0);
    expect(view.summary!.durationSeconds).toBeLessThan(3600);

    expect(await client.stop(id)).toMatchObject({ status: 409, body: { code: 'RUN_NOT_RUNNING' } });
  });

  it('answers 404 for an unknown run and 400 for an id this app never makes', async () => {
    expect(await client.stop('capture-nothing-0123456789abcdef')).toMatchObject({
      status: 404,
      body: { code: 'RUN_NOT_FOUND' },
    });
    expect(await client.stop('..%2F..%2Fadmin')).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', field: 'instanceId' },
    });
  });
});

describe('npm run alert', () => {
  it('posts a sample, follows the run phase by phase and prints the outcome, file and summary', async () => {
    const root = join(__dirname, '..', '..');
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(root, 'scripts', 'alert.ts'),
        'classic-metric',
        ...['--vm', vm('vm-cli'), '--storage', app.stack.storageAccountId],
        ...['--url', app.host.url, '--key', app.host.functionKey, '--interval', '0.1'],
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/202 started run capture-vm-cli-[0-9a-f]{16}/);
    expect(output).toMatch(/capturing +capture ac-vm-cli-/);
    expect(output).toMatch(/succeeded/);
    expect(output).toMatch(/Capture ac-vm-cli-\S+ \(created\): Stopped, stop reason TimeExceeded/);
    expect(output).toMatch(/File: http:\/\/\S+\.cap \(/);
    expect(output).toMatch(/Packets [\d,]+, on the wire/);
    expect(output).not.toContain(app.host.functionKey);
  }, 60_000);
});

describe('the host log', () => {
  it('holds no signed link and no key, after all of the above', () => {
    expect(app.logs.length).toBeGreaterThan(100);
    expect(
      app.logs.some((line) => line.includes('link.created') || line.includes('downloadLinkIssued')),
    ).toBe(true);
    expectNoSecret(app.logs.join('\n'));
  });
});
