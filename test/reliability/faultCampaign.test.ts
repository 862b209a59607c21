/**
 * The fault campaign: an alert storm with duplicate deliveries against the unchanged app on the
 * dev host, while the control plane is flaky (a share of every ARM route answers 429 with
 * Retry-After, 500, 503, a cut connection or a slow answer; some capture uploads fail), blob reads
 * and notification posts fail as often, and the host is killed twice in the middle. Then what the
 * app promised is checked against what the emulator, storage and the receiver saw.
 *
 * Bounded size in `npm test`; `npm run test:reliability` runs the full size (RELIABILITY_SIZE=full).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TERMINAL_STATUSES } from '../../local/durable';
import type { SessionInfo } from '../../local/emulator/types';
import { captureInstanceId } from '../../src/alerts/instanceId';
import { ERROR_CATALOG } from '../../src/errors/catalog';
import { parseArmResourceId } from '../../src/security/armResourceId';
import { capinfos, downloadCapture } from '../support/captureFiles';
import { sampleAlert } from '../e2e/support/alerts';
import { ActionGroup, type Delivered } from './support/actionGroup';
import { planStorm, sendStorm, type PlannedPost, type StormPlan } from './support/alertStorm';
import { campaignSize } from './support/campaignSize';
import { CampaignHost, TIME_SCALE } from './support/campaignHost';
import { EmulatorLedger } from './support/emulatorLedger';
import { startFaultyProxy, type FaultyProxy } from './support/faultyProxy';
import { flakyControlPlane } from './support/faultWeather';
import { LogCapture } from './support/logCapture';
import { startNotifyReceiver, type NotifyReceiver } from './support/notifyReceiver';
import { RunObserver, type EndedRun } from './support/runObserver';
import { findSecrets, type SecretFinding } from './support/secrets';
import { writeFigures } from './support/figures';
import { campaignFigures } from './support/campaignFigures';
import { expectedOutcome } from './support/expectedOutcome';

const size = campaignSize();
const SEED = 20_250_603;
const VMS = Array.from({ length: size.vms }, (_, i) => `vm-rel-${String(i).padStart(2, '0')}`);
/** The receiver refuses this VM's notifications: its runs must report the failed delivery. */
const UNREACHED_VM = VMS[0]!;
/** Deterministic capture failures on named VMs, with the report each must end in. */
const AGENT_STOPS_VM = VMS[1]!;
const EMPTY_FILE_VM = VMS[2]!;
const NOTIFY_SECRET = randomBytes(24).toString('base64url');

const logs = new LogCapture();
let app: CampaignHost;
let proxy: FaultyProxy;
let receiver: NotifyReceiver;
let ledger: EmulatorLedger;
let observer: RunObserver;
const vmIds = new Map<string, string>();

interface Outcome {
  plan: StormPlan;
  answers: { post: PlannedPost; answer: Delivered }[];
  runs: EndedRun[];
  sessionsLeft: SessionInfo[];
  elapsedMs: number;
}
let outcome: Outcome | undefined;
let findings: SecretFinding[] | undefined;
const result = (): Outcome => {
  if (!outcome) throw new Error('the campaign did not run to its end (see the first failure)');
  return outcome;
};

beforeAll(async () => {
  logs.start();
  const azurite = inject('offlineStack').azurite;
  proxy = await startFaultyProxy({
    target: new URL(azurite.blobEndpoint).origin,
    rate: size.faultRate,
    seed: SEED,
  });
  receiver = await startNotifyReceiver({
    faultRate: size.faultRate,
    seed: SEED,
    secret: NOTIFY_SECRET,
    refuseVms: new Set([UNREACHED_VM]),
  });
  app = await CampaignHost.start({
    label: 'reliability',
    namespaceSettings: { seed: SEED, packetsPerSecond: 20 },
    settings: (stack) => ({
      // The app's blob reads and writes go through the faulty proxy; Network Watcher's uploads do not.
      CAPTURE_STORAGE_CONNECTION: stack.azurite.connectionString.replace(
        stack.azurite.blobEndpoint,
        `${proxy.url}${new URL(stack.azurite.blobEndpoint).pathname}`,
      ),
      NOTIFY_WEBHOOK_URL: receiver.url,
      NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET,
      CAPTURE_CHECK_INTERVAL_SECONDS: '30',
      CAPTURE_SLOT_WAIT_SECONDS: '900',
    }),
    log: logs.sink,
  });
  const added = await app.stack.admin.upsertVms(
    VMS.map((name, i) => ({
      name,
      resourceGroup: 'rg-storm',
      location: 'westeurope',
      privateIps: [`10.20.${Math.floor(i / 200)}.${(i % 200) + 4}`],
      packetsPerSecond: 20,
    })),
  );
  for (const { name, id } of added) vmIds.set(name, id);
  await app.stack.admin.addFaults({
    ...flakyControlPlane({
      rate: size.faultRate,
      uploadFailureRate: size.faultRate / 2,
      timeouts: size.timeouts,
    }),
    capture: [
      { kind: 'agentStopped', vm: AGENT_STOPS_VM, afterSeconds: 60 },
      { kind: 'emptyFile', vm: EMPTY_FILE_VM },
    ],
  });
  ledger = new EmulatorLedger(app.stack.admin);
  observer = new RunObserver(() => app.up?.engine);
}, 60_000);

afterAll(async () => {
  logs.stop();
  await app?.stop();
  await proxy?.close();
  await receiver?.close();
}, 60_000);

describe(`fault campaign (${size.name}: ${size.alerts} alerts over ${size.vms} VMs)`, () => {
  it('survives the storm: every run ends, the host restarted twice in the middle', async () => {
    const started = Date.now();
    const plan = planStorm({
      vms: VMS,
      alerts: size.alerts,
      duplicateShare: size.duplicateShare,
      stormMs: size.stormMs,
      seed: SEED,
    });
    // A restarted host listens on the same port, as a Function App keeps its URL.
    const actionGroup = new ActionGroup({
      webhookUrl: `${app.host.url}/api/alerts`,
      functionKey: app.host.functionKey,
    });
    ledger.start();
    observer.start();
    const captureMs = (size.captureSeconds * 1000) / TIME_SCALE;
    const restarts = (async () => {
      await sleep(size.stormMs / 2);
      await app.restart();
      // The second one while the captures run and the first runs are verifying.
      await sleep(size.stormMs / 2 + captureMs / 2);
      await app.restart();
    })();
    const answers = await sendStorm(plan, actionGroup, (post) => alertBody(post));
    await restarts;
    await waitForAllRuns(answers, 90_000 + captureMs);
    observer.stop();
    await ledger.stop();
    outcome = {
      plan,
      answers,
      runs: observer.endedRuns(),
      sessionsLeft: await app.stack.admin.sessions(),
      elapsedMs: Date.now() - started,
    };
    expect(app.resumed).toHaveLength(2);
    expect(
      app.resumed.every((count) => count > 0),
      'each restart found runs to resume',
    ).toBe(true);
  }, 240_000);

  it('answered every delivery with 202 and the VM’s own run id, duplicates joining it', () => {
    const { answers } = result();
    for (const { post, answer } of answers) {
      expect(answer.status, `${post.vm} ${post.sample}: ${JSON.stringify(answer.body)}`).toBe(202);
      expect(answer.body.id).toBe(instanceIdOf(post.vm));
    }
  });

  it('ended every run Completed with a report, and no run ended before its VM’s alerts were in', () => {
    const { runs, answers } = result();
    for (const run of runs) {
      expect(run.runtimeStatus, `${run.instanceId}: ${JSON.stringify(run.output)}`).toBe('Completed');
      expect(run.report, run.instanceId).toBeDefined();
      expect(run.report!.instanceId).toBe(run.instanceId);
    }
    const vmsAlerted = new Set(answers.map(({ post }) => post.vm));
    for (const vm of vmsAlerted) {
      expect(runsOf(vm).length, vm).toBeGreaterThanOrEqual(1);
      const engine = app.host.engine.record(instanceIdOf(vm));
      expect(engine.counters.executions, `${vm}: executions stored vs runs seen ending`).toBe(
        runsOf(vm).length,
      );
    }
  });

  it('reports each run truthfully: succeeded with its verified file, or failed for what destroyed the capture', async () => {
    const { runs } = result();
    const uploads = ledger.requests.filter((r) => r.route === 'blobUpload');
    const known = { agentStops: new Set([AGENT_STOPS_VM]), emptyFiles: new Set([EMPTY_FILE_VM]) };
    for (const run of runs) {
      const report = run.report!;
      const label = `${run.instanceId}: ${JSON.stringify({ error: report.error, capture: report.capture })}`;
      const expected = expectedOutcome(report, known, uploads);
      expect(report.outcome, label).toBe(expected.outcome);
      expect(report.capture, label).toMatchObject({ mode: 'created', owned: true });
      expect(['deleted', 'notFound'], label).toContain(report.capture!.cleanup);
      expect(report.warnings, label).toEqual([]);
      if (expected.outcome === 'failed') {
        expect(report.error, label).toMatchObject({ code: expected.code });
        expect(report.error!.code in ERROR_CATALOG).toBe(true);
        if (expected.captureError) expect(report.capture!.errors, label).toContain(expected.captureError);
        continue;
      }
      expect(report.capture, label).toMatchObject({ status: 'Stopped' });
      expect(['service', 'deadline'], label).toContain(report.capture!.stoppedBy);
      expect(report.file!.url).toBe(report.capture!.storagePath);
      // The file as storage holds it, read past the proxy, checked by Wireshark's capinfos.
      const file = await capinfos(await downloadCapture(report.file!.url, app.stack.azurite));
      expect(file.fileBytes, label).toBe(report.file!.size);
      expect(file.packets, label).toBe(report.summary!.packets);
      expect(file.packets, label).toBeGreaterThan(0);
    }
  });

  it('created exactly one capture per VM per run, and left none running or undeleted', () => {
    const { runs, sessionsLeft } = result();
    expect(ledger.lost, 'requests the ledger missed').toBe(0);
    const created = ledger.createdCaptures();
    for (const [name, creates] of created) expect(creates, name).toHaveLength(1);
    for (const vm of VMS) {
      const names = [...created.keys()].filter((name) => name.startsWith(`ac-${vm}-`)).sort();
      const reported = runsOf(vm)
        .map((run) => run.report!.capture!.name.toLowerCase())
        .sort();
      expect(names, vm).toEqual(reported);
    }
    expect(created.size).toBe(runs.length);
    expect(sessionsLeft.map((s) => `${s.name} ${s.status}`)).toEqual([]);
  });

  it('delivered every notification, signed, or reported its failure', () => {
    const { runs } = result();
    const deliveries = receiver.deliveries();
    for (const delivery of deliveries) expect(delivery.signed, delivery.instanceId).toBe(true);
    for (const run of runs) {
      const report = run.report!;
      const label = `${run.instanceId} ${JSON.stringify(report.notifications)}`;
      expect(report.notifications.error, label).toBeUndefined();
      const arrived = deliveries.filter(
        (d) => d.instanceId === run.instanceId && d.payload.report.capture?.name === report.capture?.name,
      );
      if (report.target.vmName === UNREACHED_VM || report.notifications.failed.length > 0) {
        expect(report.notifications.failed, label).toEqual([
          expect.objectContaining({ target: 'webhook', ok: false, attempts: 4 }),
        ]);
        expect(arrived, label).toEqual([]);
      } else {
        expect(report.notifications.delivered, label).toEqual([
          expect.objectContaining({ target: 'webhook', ok: true }),
        ]);
        expect(arrived.length, label).toBeGreaterThanOrEqual(1);
        expect(new Set(arrived.map((d) => d.outcome)), label).toEqual(new Set([report.outcome]));
      }
    }
    expect(runsOf(UNREACHED_VM).every((run) => run.report!.notifications.failed[0]?.status === 503)).toBe(
      true,
    );
  });

  it('wrote no secret in any log line of the host, the app or the console', async () => {
    // Signed links handed out by the API during the campaign must not show up in the logs either.
    const links = await Promise.all(
      result()
        .runs.filter((run) => run.report!.outcome === 'succeeded')
        .slice(0, 5)
        .map(async (run) => {
          const response = await fetch(`${app.host.url}/api/captures/${run.instanceId}/download`, {
            headers: { 'x-functions-key': app.host.functionKey },
          });
          return String(((await response.json()) as { url?: string }).url ?? '');
        }),
    );
    const signatures = [...links, ...receiver.deliveries().map((d) => d.downloadUrl ?? '')]
      .map((url) => /[?&]sig=([^&]+)/.exec(url)?.[1])
      .filter((sig): sig is string => sig !== undefined);
    expect(signatures.length).toBeGreaterThan(0);
    expect(logs.lines.length).toBeGreaterThan(100);
    expect(logs.lines.some((line) => line.includes('activity.succeeded'))).toBe(true);
    findings = findSecrets(logs.lines, [
      { name: 'function key', value: app.host.functionKey },
      { name: 'master key', value: app.host.masterKey },
      { name: 'durable system key', value: app.host.systemKey },
      { name: 'Azurite account key', value: app.stack.azurite.accountKey },
      { name: 'notification URL token', value: receiver.token },
      { name: 'notification signing secret', value: NOTIFY_SECRET },
      { name: 'ARM bearer token', value: 'offline-emulator-token' },
      ...signatures.map((value) => ({ name: 'download link signature', value: decodeURIComponent(value) })),
    ]);
    expect(findings).toEqual([]);
  });

  it('put the app under the weather it claims and lost nothing (the figures of the README table)', () => {
    const { plan, answers, runs, sessionsLeft, elapsedMs } = result();
    const figures = campaignFigures({
      size,
      plan,
      answers,
      runs,
      capturesLeft: sessionsLeft.length,
      elapsedMs,
      ledger,
      blob: proxy.counts(),
      notify: receiver.counts(),
      resumed: app.resumed,
      secretsInLogs: findings?.length ?? Number.NaN,
    });
    logs.stop();
    writeFigures(`campaign-${size.name}`, figures);
    const { armRequests, armFaults, blobFaults, notificationFaults } = figures.faults;
    const faulted = Object.values(armFaults).reduce((sum, n) => sum + n, 0);
    expect(faulted / armRequests).toBeGreaterThan(size.faultRate / 2);
    for (const kind of ['throttle', 'serverError', 'unavailable', 'drop', 'slow']) {
      expect(armFaults[kind], kind).toBeGreaterThan(0);
    }
    expect(Object.values(blobFaults).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    expect(notificationFaults).toBeGreaterThan(0);
    expect(plan.duplicates).toBeGreaterThan(0);
    expect(figures.lost).toEqual({
      alertsNotAccepted: 0,
      runsWithoutReport: 0,
      capturesLeft: 0,
      notificationsUnaccounted: 0,
      secretsInLogs: 0,
    });
  });
});

function runsOf(vm: string): EndedRun[] {
  const id = instanceIdOf(vm);
  return result()
    .runs.filter((run) => run.instanceId === id)
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime));
}

function alertBody(post: PlannedPost): unknown {
  const body = sampleAlert(post.sample, {
    vmId: vmIds.get(post.vm)!,
    storageAccountId: app.stack.storageAccountId,
    timeLimitSeconds: size.captureSeconds,
  });
  // A pinned name would be one capture name for every VM; the app derives one per run instead.
  delete body.packetCaptureName;
  return body;
}

function instanceIdOf(vm: string): string {
  const parsed = parseArmResourceId(vmIds.get(vm)!);
  if (!parsed.ok) throw new Error(`not a VM id: ${vm}`);
  return captureInstanceId(parsed.value);
}

async function waitForAllRuns(answers: { answer: Delivered }[], timeoutMs: number): Promise<void> {
  const ids = new Set(answers.map(({ answer }) => String(answer.body.id)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = observer
      .instances()
      .filter((s) => ids.has(s.instanceId) && !TERMINAL_STATUSES.includes(s.runtimeStatus));
    const known = new Set(observer.instances().map((s) => s.instanceId));
    if (pending.length === 0 && [...ids].every((id) => known.has(id))) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.length} runs still going after ${timeoutMs} ms: ${pending
          .map((s) => `${s.instanceId} ${s.runtimeStatus} ${JSON.stringify(s.customStatus)}`)
          .join('\n')}\n${logs.tail()}`,
      );
    }
    await sleep(200);
  }
}
