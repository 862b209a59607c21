import { afterEach, describe, expect, it } from 'vitest';
import type { NamespaceSettings } from '../../local/emulator/types';
import { useOfflineStack } from '../support/stack';
import { reloadAppSettings } from './support/appModules';
import { CAPTURE_ON_ALERT_ORCHESTRATOR, type RunStatus } from '../../src/orchestrators/contract';
import { networkClient } from '../support/armClients';
import { blobAt, startCaptureOutsideTheApp } from './support/otherCaptures';
import { captureRequest, createRunHarness, type RunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-azure' });
const NETWORK_RG = 'rg-shared-network';

/** App settings a test changes, put back after it. */
const changedEnv = new Set<string>();
function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    changedEnv.add(name);
    process.env[name] = value;
  }
  reloadAppSettings();
}
afterEach(() => {
  for (const name of changedEnv) delete process.env[name];
  changedEnv.clear();
  reloadAppSettings();
});

/** A harness on a fresh namespace state with these emulator modes on. */
async function harnessWith(settings: Partial<NamespaceSettings>): Promise<RunHarness> {
  const run = await createRunHarness(stack);
  await stack.admin.updateSettings(settings);
  return run;
}

async function replaysDeterministically(run: RunHarness, id: string): Promise<void> {
  const replay = await run.host.replayEveryPrefix(id);
  expect(replay.prefixes).toBe(run.host.episodes(id).length);
}

/**
 * Where Azure behaves unlike the emulator's defaults (docs/offline-stack.md, "Azure behaviours the
 * emulator takes on as modes"): each test turns one mode on and shows what the run does about it.
 */
describe('captureOnAlert where Azure behaves as documented, not as the emulator by default', () => {
  it('captures a VM whose NIC sits in a group it may not read, with a warning instead of a failure', async () => {
    const run = await harnessWith({
      forbiddenScopes: [`/subscriptions/${stack.subscriptionId}/resourceGroups/${NETWORK_RG}`],
    });
    const [vm] = await stack.admin.upsertVms([
      {
        name: 'vm-shared-nic',
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: ['10.1.0.50'],
        nicResourceGroup: NETWORK_RG,
      },
    ]);
    const id = await run.host.start(
      CAPTURE_ON_ALERT_ORCHESTRATOR,
      captureRequest(vm!.id, { timeLimitSeconds: 120 }),
    );
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'succeeded',
      target: { vmName: 'vm-shared-nic', privateIpAddresses: [] },
      capture: { status: 'Stopped', cleanup: 'deleted' },
      warnings: [
        {
          code: 'NETWORK_INTERFACE_UNREADABLE',
          phase: 'preparing',
          details: { networkInterfaces: [{ id: vm!.nicId, status: 403, armCode: 'AuthorizationFailed' }] },
        },
      ],
    });
    expect(report.summary!.packets).toBeGreaterThan(0);
  });

  it('waits for a file that reaches storage after Stopped and grows while visible, and reads it whole', async () => {
    const run = await harnessWith({ uploadDelaySeconds: 90, uploadGrowSeconds: 60 });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const report = await run.finish(id);
    await run.host.advanceBy(10 * 60_000); // a transfer still under way ends meanwhile
    const blob = await blobAt(stack, report.file!.url).getProperties();
    expect(report).toMatchObject({ outcome: 'succeeded', warnings: [], file: { size: blob.contentLength } });
    expect(report.summary!.file).toMatchObject({ complete: true, bytesRead: blob.contentLength });
    // Appeared at +90 s (part of it), whole at +150 s, unchanged at the next look: settled.
    expect(report.file!.waitedSeconds).toBeGreaterThanOrEqual(150);
    // The emulator wrote the file in steps: it was visible while it grew.
    const uploads = (await stack.admin.requests()).recent.filter((r) => r.route === 'blobUpload').length;
    expect(uploads).toBeGreaterThan(1);
    await replaysDeterministically(run, id);
  });

  it('waits for a slot when stopped captures count against Network Watcher’s own limit', async () => {
    const run = await harnessWith({ sessionLimitCounts: 'all', maxSessionsPerWatcher: 2 });
    // Two captures someone ran and never deleted: stopped, yet counted by the service.
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'portal-capture-1', 60);
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'portal-capture-2', 60);
    await run.host.advanceBy(60_000);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 120 });
    // The app sees room under its own limit, yet Network Watcher refuses the create: the run waits.
    const waiting = await run.untilPhase(id, 'waitingForSlot');
    expect(waiting.slot).toMatchObject({ sessionLimit: 100, refusedByService: 1 });
    expect(waiting.slot!.freeSlots).toBeGreaterThan(0);
    expect((await stack.admin.requests()).counts.create?.byStatus['400']).toBe(1);
    // Someone deletes one: the next look finds room.
    await networkClient(stack, stack.subscriptionId).packetCaptures.delete(
      'NetworkWatcherRG',
      'NetworkWatcher_westeurope',
      'portal-capture-1',
    );
    const report = await run.finish(id);
    expect(report).toMatchObject({ outcome: 'succeeded', capture: { cleanup: 'deleted' } });
    expect(report.timings.slotWaitSeconds).toBeGreaterThan(0);
    await replaysDeterministically(run, id);
  });

  it('judges a start by the status: a session that never started is not started for its default date', async () => {
    const run = await harnessWith({ unstartedCaptureStartTime: '0001-01-01T00:00:00Z' });
    await stack.admin.addFaults({ capture: [{ kind: 'neverStarts' }] });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'CAPTURE_NOT_STARTED' },
      capture: { stoppedBy: 'deadline', cleanup: 'deleted' },
    });
    expect(report.timings.captureStartedAt).toBeUndefined();
    await replaysDeterministically(run, id);
  });

  it('retries a step Azure refuses while role assignments propagate, and says so in the report', async () => {
    setEnv({ PERMISSION_GRACE_SECONDS: '3600' });
    const run = await harnessWith({ authorizationDelaySeconds: 300 });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 120 });
    await run.host.advanceUntil(
      () => (run.host.getStatus(id)?.customStatus as RunStatus | undefined)?.waitingFor !== undefined,
    );
    expect(run.host.getStatus(id)?.customStatus).toMatchObject({
      phase: 'preparing',
      waitingFor: { what: 'permissions', step: 'resolveTarget' },
    });
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'succeeded',
      warnings: [
        {
          code: 'PERMISSIONS_NOT_EFFECTIVE',
          step: 'resolveTarget',
          message: expect.stringContaining('Permissions not yet effective'),
          details: { refusedWith: 'ARM_FORBIDDEN' },
        },
      ],
    });
    expect(report.warnings[0]!.details!.waitedSeconds).toBeGreaterThanOrEqual(300);
    await replaysDeterministically(run, id);
  });

  it('fails at once on a refusal once the grace after the app started is over', async () => {
    setEnv({ PERMISSION_GRACE_SECONDS: '0' });
    const run = await harnessWith({ authorizationDelaySeconds: 300 });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 120 });
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'ARM_FORBIDDEN', step: 'resolveTarget' },
      warnings: [],
    });
  });

  it('never holds more than CAPTURE_SESSION_LIMIT sessions of its own, however many runs start at once', async () => {
    setEnv({ CAPTURE_SESSION_LIMIT: '2', CAPTURE_SLOT_WAIT_SECONDS: '3600' });
    const run = await createRunHarness(stack);
    const vms = await stack.admin.upsertVms(
      [0, 1, 2, 3, 4].map((i) => ({
        name: `vm-limit-${i}`,
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: [`10.1.2.${i + 4}`],
      })),
    );
    const ids = await Promise.all(
      vms.map((vm) =>
        run.host.start(CAPTURE_ON_ALERT_ORCHESTRATOR, captureRequest(vm.id, { timeLimitSeconds: 300 })),
      ),
    );
    const reports = await Promise.all(ids.map((id) => run.finish(id)));
    expect(reports.map((r) => r.outcome)).toEqual(Array(5).fill('succeeded'));
    // Captures that existed at once, from the emulator's log of creates and deletes in order.
    let existing = 0;
    let most = 0;
    for (const record of (await stack.admin.requests()).recent) {
      if (record.route === 'create' && record.status === 201) existing += 1;
      if (record.route === 'delete' && record.status === 202) existing -= 1;
      most = Math.max(most, existing);
    }
    expect(most).toBe(2);
    expect(reports.filter((r) => (r.timings.slotWaitSeconds ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
  });
});
