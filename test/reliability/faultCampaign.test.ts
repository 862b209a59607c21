/**
 * The fault campaign: an alert storm with duplicate deliveries against the unchanged app on the
 * dev host, while the control plane is flaky (a share of every ARM route answers 429 with
 * Retry-After, 500, 503, a cut connection or a slow answer; some capture uploads fail), blob reads
 * and notification posts fail as often, and the host is killed twice in the middle. Then what the
 * app promised is checked against what the emulator, storage and the receiver saw.
 *
 * Bounded size in `npm test`; `npm run test:reliability` runs the full size (RELIABILITY_SIZE=full).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_STATUSES } from '../../local/durable';
import type { RequestRecord, SessionInfo } from '../../local/emulator/types';
import type { PreviousRun } from '../../src/capture/report';
import { captureInstanceId } from '../../src/alerts/instanceId';
import { ERROR_CATALOG } from '../../src/errors/catalog';
import { parseArmResourceId } from '../../src/security/armResourceId';
import { capinfos, downloadCapture } from '../support/captureFiles';
import { sampleAlert } from '../e2e/support/alerts';
import { ActionGroup, type Delivered } from './support/actionGroup';
import {
  planStorm,
  RESOLVED_SAMPLE,
  sendStorm,
  type PlannedPost,
  type StormPlan,
} from './support/alertStorm';
import { campaignSize } from './support/campaignSize';
import { TIME_SCALE } from './support/campaignHost';
import { CampaignRig } from './support/campaignRig';
import type { EndedRun } from './support/runObserver';
import { findSecrets, type SecretFinding } from './support/secrets';
import { writeFigures } from './support/figures';
import { campaignFigures } from './support/campaignFigures';
import { expectedOutcome, type KnownFates } from './support/expectedOutcome';

const size = campaignSize();
const SEED = 20_250_603;
const VMS = Array.from({ length: size.vms }, (_, i) => `vm-rel-${String(i).padStart(2, '0')}`);
/** The receiver refuses this VM's notifications: its runs must report the failed delivery. */
const UNREACHED_VM = VMS[0]!;
/** Deterministic capture failures on named VMs, with the report each must end in. */
const AGENT_STOPS_VM = VMS[1]!;
const EMPTY_FILE_VM = VMS[2]!;
/** Their alert is resolved while the captures run; RESOLVED_ALERT_ACTION=stop stops them early. */
const RESOLVED_VMS = VMS.filter((_, i) => i % 4 === 3);

let rig: CampaignRig;

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
  rig = await CampaignRig.start({
    size,
    seed: SEED,
    vms: VMS,
    unreachedVm: UNREACHED_VM,
    agentStopsVm: AGENT_STOPS_VM,
    emptyFileVm: EMPTY_FILE_VM,
  });
}, 60_000);

afterAll(() => rig?.stop(), 60_000);

describe(`fault campaign (${size.name}: ${size.alerts} alerts over ${size.vms} VMs)`, () => {
  it('survives the storm: every run ends, the host restarted twice in the middle', async () => {
    const started = Date.now();
    const captureMs = (size.captureSeconds * 1000) / TIME_SCALE;
    const plan = planStorm({
      vms: VMS,
      alerts: size.alerts,
      duplicateShare: size.duplicateShare,
      stormMs: size.stormMs,
      seed: SEED,
      resolve: RESOLVED_VMS,
      resolveAtMs: size.stormMs + captureMs / 3,
    });
    // A restarted host listens on the same port, as a Function App keeps its URL.
    const actionGroup = new ActionGroup({
      webhookUrl: `${rig.app.host.url}/api/alerts`,
      functionKey: rig.app.host.functionKey,
    });
    rig.ledger.start();
    rig.observer.start();
    const restarts = (async () => {
      await sleep(size.stormMs / 2);
      await rig.app.restart();
      // The second one while the captures run and the first runs are verifying.
      await sleep(size.stormMs / 2 + captureMs / 2);
      await rig.app.restart();
    })();
    const answers = await sendStorm(plan, actionGroup, (post) => alertBody(post));
    await restarts;
    await waitForAllRuns(answers, 90_000 + captureMs);
    rig.observer.stop();
    await rig.ledger.stop();
    outcome = {
      plan,
      answers,
      runs: rig.observer.endedRuns(),
      sessionsLeft: await rig.app.stack.admin.sessions(),
      elapsedMs: Date.now() - started,
    };
    expect(rig.app.resumed).toHaveLength(2);
    expect(
      rig.app.resumed.every((count) => count > 0),
      'each restart found runs to resume',
    ).toBe(true);
  }, 240_000);

  it('answered every firing delivery with 202 and the VM’s run id, and every resolution with a stop', () => {
    const { answers } = result();
    for (const { post, answer } of answers) {
      const label = `${post.vm} ${post.sample}: ${JSON.stringify(answer.body)}`;
      if (post.sample === RESOLVED_SAMPLE) {
        expect(answer, label).toMatchObject({
          status: 200,
          body: { id: instanceIdOf(post.vm), outcome: 'stopRequested' },
        });
      } else {
        expect(answer.status, label).toBe(202);
        expect(answer.body.id, label).toBe(instanceIdOf(post.vm));
      }
    }
  });

  it('ended every run Completed with a report; a firing after a capture ended got a follow-up run', () => {
    const { runs, answers } = result();
    for (const run of runs) {
      expect(run.runtimeStatus, `${run.instanceId}: ${JSON.stringify(run.output)}`).toBe('Completed');
      expect(run.report, run.instanceId).toBeDefined();
      expect(run.report!.instanceId).toBe(run.instanceId);
    }
    const vmsAlerted = new Set(answers.map(({ post }) => post.vm));
    for (const vm of vmsAlerted) {
      expect(runsOf(vm).length, vm).toBeGreaterThanOrEqual(1);
      // A follow-up goes on under the same id (continueAsNew): its report keeps the run before it.
      const executions = runsOf(vm).reduce((sum, run) => sum + (run.report!.previous ? 2 : 1), 0);
      const engine = rig.app.host.engine.record(instanceIdOf(vm));
      expect(engine.counters.executions, `${vm}: executions stored vs runs reported`).toBe(executions);
    }
  });

  it('reports each run truthfully: succeeded with its verified file, or failed for what destroyed the capture', async () => {
    const { runs } = result();
    const uploads = rig.ledger.requests.filter((r) => r.route === 'blobUpload');
    const fates = {
      agentStops: new Set([AGENT_STOPS_VM]),
      emptyFiles: new Set([EMPTY_FILE_VM]),
      resolved: new Set(RESOLVED_VMS),
    };
    for (const run of runs) {
      const report = run.report!;
      const { error, capture, previous, joinedAlerts, followUp, timings } = report;
      const label = `${run.instanceId}: ${JSON.stringify({ error, capture, previous, joinedAlerts, followUp, timings })}`;
      const facts = {
        vm: report.target.vmName,
        hasCapture: report.capture !== undefined,
        storagePath: report.capture?.storagePath,
      };
      const expected = expectedOutcome(facts, fates, uploads);
      expect(report.outcome, label).toBe(expected.outcome);
      expect(report.warnings, label).toEqual([]);
      if (expected.outcome === 'failed' && expected.noCapture) {
        expect(report.capture, label).toBeUndefined();
      } else {
        expect(report.capture, label).toMatchObject({ mode: 'created', owned: true });
        expect(['deleted', 'notFound'], label).toContain(report.capture!.cleanup);
      }
      if (report.previous)
        await expectPreviousTruthful(report.previous, report.target.vmName, fates, uploads);
      if (expected.outcome === 'failed') {
        expect(report.error, label).toMatchObject({ code: expected.code });
        expect(report.error!.code in ERROR_CATALOG).toBe(true);
        if (expected.captureError) expect(report.capture!.errors, label).toContain(expected.captureError);
        continue;
      }
      expect(expected.stoppedBy, label).toContain(report.capture!.stoppedBy);
      expect(report.capture, label).toMatchObject({ status: 'Stopped' });
      expect(report.file!.url).toBe(report.capture!.storagePath);
      // The file as storage holds it, read past the proxy, checked by Wireshark's capinfos.
      const file = await capinfos(await downloadCapture(report.file!.url, rig.app.stack.azurite));
      expect(file.fileBytes, label).toBe(report.file!.size);
      expect(file.packets, label).toBe(report.summary!.packets);
      expect(file.packets, label).toBeGreaterThan(0);
    }
  });

  it('created exactly one capture per VM per run, and left none running or undeleted', () => {
    const { runs, sessionsLeft } = result();
    expect(rig.ledger.lost, 'requests the ledger missed').toBe(0);
    const created = rig.ledger.createdCaptures();
    for (const [name, creates] of created) expect(creates, name).toHaveLength(1);
    for (const vm of VMS) {
      const names = [...created.keys()].filter((name) => name.startsWith(`ac-${vm}-`)).sort();
      const reported = runsOf(vm)
        .flatMap((run) => [run.report!.previous?.captureName, run.report!.capture?.name])
        .filter((name): name is string => name !== undefined)
        .map((name) => name.toLowerCase())
        .sort();
      expect(names, vm).toEqual(reported);
    }
    const reportedCaptures = runs.flatMap((run) => [
      run.report!.previous?.captureName,
      run.report!.capture?.name,
    ]);
    expect(created.size).toBe(reportedCaptures.filter(Boolean).length);
    expect(sessionsLeft.map((s) => `${s.name} ${s.status}`)).toEqual([]);
  });

  it('delivered every notification, signed, or reported its failure', () => {
    const { runs } = result();
    const deliveries = rig.receiver.deliveries();
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
    // A run followed up told its own report in its notification; the next run keeps only a summary.
    for (const run of runs.filter((r) => r.report!.previous)) {
      const previous = run.report!.previous!;
      const arrived = deliveries.filter((d) => d.payload.report.capture?.name === previous.captureName);
      if (run.report!.target.vmName === UNREACHED_VM) expect(arrived).toEqual([]);
      else
        expect(new Set(arrived.map((d) => d.outcome)), previous.captureName).toEqual(
          new Set([previous.outcome]),
        );
    }
  });

  it('wrote no secret in any log line of the host, the app or the console', async () => {
    // Signed links handed out by the API during the campaign must not show up in the logs either.
    const links = await Promise.all(
      result()
        .runs.filter((run) => run.report!.outcome === 'succeeded')
        .slice(0, 5)
        .map(async (run) => {
          const response = await fetch(`${rig.app.host.url}/api/captures/${run.instanceId}/download`, {
            headers: { 'x-functions-key': rig.app.host.functionKey },
          });
          return String(((await response.json()) as { url?: string }).url ?? '');
        }),
    );
    const signatures = [...links, ...rig.receiver.deliveries().map((d) => d.downloadUrl ?? '')]
      .map((url) => /[?&]sig=([^&]+)/.exec(url)?.[1])
      .filter((sig): sig is string => sig !== undefined);
    expect(signatures.length).toBeGreaterThan(0);
    expect(rig.logs.lines.length).toBeGreaterThan(100);
    expect(rig.logs.lines.some((line) => line.includes('activity.succeeded'))).toBe(true);
    findings = findSecrets(rig.logs.lines, [
      { name: 'function key', value: rig.app.host.functionKey },
      { name: 'master key', value: rig.app.host.masterKey },
      { name: 'durable system key', value: rig.app.host.systemKey },
      { name: 'Azurite account key', value: rig.app.stack.azurite.accountKey },
      { name: 'notification URL token', value: rig.receiver.token },
      { name: 'notification signing secret', value: rig.notifySecret },
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
      ledger: rig.ledger,
      blob: rig.proxy.counts(),
      notify: rig.receiver.counts(),
      resumed: rig.app.resumed,
      secretsInLogs: findings?.length ?? Number.NaN,
    });
    rig.logs.stop();
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
    // The paths the campaign claims to drive: slot waits, stops by resolved alerts, follow-ups.
    expect(figures.load.runsThatWaitedForASlot).toBeGreaterThan(0);
    expect(
      (figures.stoppedBy.resolvedAlert ?? 0) + (figures.outcomes['failed RUN_CANCELLED'] ?? 0),
    ).toBeGreaterThan(0);
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

/** The summary a follow-up run keeps of the run before it must tell what happened to that capture. */
async function expectPreviousTruthful(
  previous: PreviousRun,
  vm: string,
  fates: KnownFates,
  uploads: readonly RequestRecord[],
): Promise<void> {
  const label = `${vm} previous run: ${JSON.stringify(previous)}`;
  const session = previous.captureName ? rig.ledger.sessionNamed(previous.captureName) : undefined;
  const facts = { vm, hasCapture: previous.captureName !== undefined, storagePath: session?.storagePath };
  const expected = expectedOutcome(facts, fates, uploads);
  expect(previous.outcome, label).toBe(expected.outcome);
  if (expected.outcome === 'failed') {
    expect(previous.errorCode, label).toBe(expected.code);
    return;
  }
  const file = await capinfos(await downloadCapture(previous.fileUrl!, rig.app.stack.azurite));
  expect(file.packets, label).toBeGreaterThan(0);
}

function alertBody(post: PlannedPost): unknown {
  const body = sampleAlert(post.sample, {
    vmId: rig.vmIds.get(post.vm)!,
    storageAccountId: rig.app.stack.storageAccountId,
    timeLimitSeconds: size.captureSeconds,
  });
  // A pinned name would be one capture name for every VM; the app derives one per run instead.
  delete body.packetCaptureName;
  return body;
}

function instanceIdOf(vm: string): string {
  const parsed = parseArmResourceId(rig.vmIds.get(vm)!);
  if (!parsed.ok) throw new Error(`not a VM id: ${vm}`);
  return captureInstanceId(parsed.value);
}

async function waitForAllRuns(answers: { answer: Delivered }[], timeoutMs: number): Promise<void> {
  const ids = new Set(answers.map(({ answer }) => String(answer.body.id)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = rig.observer
      .instances()
      .filter((s) => ids.has(s.instanceId) && !TERMINAL_STATUSES.includes(s.runtimeStatus));
    const known = new Set(rig.observer.instances().map((s) => s.instanceId));
    if (pending.length === 0 && [...ids].every((id) => known.has(id))) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.length} runs still going after ${timeoutMs} ms: ${pending
          .map((s) => `${s.instanceId} ${s.runtimeStatus} ${JSON.stringify(s.customStatus)}`)
          .join('\n')}\n${rig.logs.tail()}`,
      );
    }
    await sleep(200);
  }
}
