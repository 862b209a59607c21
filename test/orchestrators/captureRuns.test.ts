import { beforeEach, describe, expect, it } from 'vitest';
import { EventType } from '../../local/durable';
import type { CaptureReport } from '../../src/capture/report';
import { uploadWaitBudgetSeconds } from '../../src/capture/uploadWait';
import { STOP_CAPTURE_EVENT } from '../../src/orchestrators/contract';
import { useNotificationReceiver } from './support/notificationReceiver';
import { useOfflineStack } from '../support/stack';
import { reloadAppSettings } from './support/appModules';
import { blobAt, captureStatusOutsideTheApp, startCaptureOutsideTheApp } from './support/otherCaptures';
import { createRunHarness, type RunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-runs' });
const receiver = useNotificationReceiver();
const MINUTE = 60_000;

beforeEach(() => receiver.reset());

/** The generic webhook messages the run sent. */
function notifications(): Array<{ event: string; report: Record<string, unknown>; download: unknown }> {
  return receiver.received('/hook').map((r) => JSON.parse(r.body) as never);
}

function activityCalls(run: RunHarness, id: string, name: string): number {
  return run.host
    .history(id)
    .filter((event) => event.EventType === EventType.TaskScheduled && event.Name === name).length;
}

describe('captureOnAlert on the replay engine, against the emulator and Azurite', () => {
  it('captures for the time limit, verifies and summarises the file, notifies, and deletes the capture', async () => {
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 600, filters: [{ protocol: 'TCP' }] });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      schemaVersion: 1,
      outcome: 'succeeded',
      instanceId: id,
      target: { vmName: 'vm-web-01', location: 'westeurope', agent: { state: 'present' } },
      alert: { schema: 'commonAlertSchema', ruleName: 'Network Out above normal' },
      capture: {
        name: expect.stringMatching(/^ac-vm-web-01-\d{8}-\d{9}$/),
        mode: 'created',
        owned: true,
        settings: { timeLimitSeconds: 600, filters: [{ protocol: 'TCP' }] },
        status: 'Stopped',
        stopReason: 'TimeExceeded',
        errors: [],
        stoppedBy: 'service',
        cleanup: 'deleted',
      },
      file: { format: 'pcap', size: expect.any(Number) },
      summary: { schemaVersion: 1, packets: expect.any(Number) },
      notifications: { delivered: [{ target: 'webhook', ok: true }], failed: [] },
      warnings: [],
    });
    expect(report.error).toBeUndefined();
    expect(report.summary!.packets).toBeGreaterThan(0);
    expect(report.timings).toMatchObject({
      startedAt: new Date(t0).toISOString(),
      expectedEndAt: new Date(t0 + 10 * MINUTE).toISOString(),
      endNoticedAt: new Date(t0 + 10 * MINUTE).toISOString(),
      checks: { coarse: 2, fast: 0 },
    });
    expect(report.download?.linkExpiresOn).toEqual(expect.any(String));

    // The file and its summary stay in storage; the capture resource is gone.
    expect(await blobAt(stack, report.file!.url).exists()).toBe(true);
    expect(await blobAt(stack, report.file!.summaryUrl!).exists()).toBe(true);
    expect(await run.sessions()).toEqual([]);

    const [message] = notifications();
    expect(message).toMatchObject({
      event: 'capture.succeeded',
      report: { outcome: 'succeeded', capture: { name: report.capture!.name, stoppedBy: 'service' } },
      download: { url: expect.stringContaining('sig=') },
    });
    // The signed link went to the operators only: it is nowhere in what the runtime keeps or logs.
    expect(JSON.stringify(run.host.record(id))).not.toContain('sig=');
    expect(run.logs.join('\n')).not.toContain('sig=');
    expect(run.logs.join('\n')).not.toContain(receiver.url('/hook'));

    const phases = [...new Set(run.statuses.map((s) => s.phase))];
    expect(phases).toEqual([
      'preparing',
      'creating',
      'capturing',
      'verifying',
      'notifying',
      'cleaningUp',
      'succeeded',
    ]);
    const capturing = run.statuses.find((s) => s.phase === 'capturing')!;
    expect(capturing).toMatchObject({
      vm: 'vm-web-01',
      captureName: report.capture!.name,
      since: new Date(t0).toISOString(),
      capture: {
        expectedEndAt: report.timings.expectedEndAt,
        nextCheckAt: new Date(t0 + 5 * MINUTE).toISOString(),
      },
    });
    await run.replaysDeterministically(id);
  });

  it('joins a capture already running on the VM instead of starting a second one, and leaves it to its owner', async () => {
    const run = await createRunHarness(stack);
    await startCaptureOutsideTheApp(stack, 'vm-web-01', 'ops-capture', 420);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 600 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: {
        name: 'ops-capture',
        mode: 'joined',
        owned: false,
        settings: { timeLimitSeconds: 420 },
        stopReason: 'TimeExceeded',
        cleanup: 'kept',
      },
      file: { format: 'pcap' },
    });
    expect(report.timings.endNoticedAt).toBe(report.timings.expectedEndAt);
    const sessions = await run.sessions();
    expect(sessions.map((s) => s.name)).toEqual(['ops-capture']);
    expect(activityCalls(run, id, 'createCapture')).toBe(0);
    expect(run.statuses.find((s) => s.phase === 'capturing')).toMatchObject({ joined: true });
    await run.replaysDeterministically(id);
  });

  it('knows a joined capture found running has started: a missed first check brings no start-grace check', async () => {
    const run = await createRunHarness(stack);
    await startCaptureOutsideTheApp(stack, 'vm-web-01', 'ops-long', 3600);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 600 });
    await run.untilPhase(id, 'capturing');
    await stack.admin.addFaults({
      http: [{ route: 'queryStatus', kind: 'unavailable', times: 6, retryAfterSeconds: 30 }],
    });
    await run.host.advanceBy(10 * MINUTE);
    // The check at 5 min is missed (its last attempt fails at 8 min 15 s); the next one follows the
    // coarse interval (330 s for the hour), not the end of the 10-minute start grace (600 s).
    const waiting = run.statuses.at(-1)!;
    expect(waiting).toMatchObject({ phase: 'capturing', capture: { status: 'Running' } });
    expect(Date.parse(waiting.capture!.nextCheckAt!) - t0).toBe((495 + 330) * 1000);
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { mode: 'joined', name: 'ops-long' },
      warnings: [{ code: 'ARM_UNAVAILABLE', details: { missedChecks: 1 } }],
    });
    await run.replaysDeterministically(id);
  });

  it('replaces a finished capture that holds the requested name, and refuses to touch a running one', async () => {
    const run = await createRunHarness(stack);
    await startCaptureOutsideTheApp(stack, 'vm-web-01', 'PSAzureFunction', 30);
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'still-running', 3600);
    await run.host.advanceBy(10 * MINUTE);

    const replacing = await run.start(
      'vm-web-01',
      { timeLimitSeconds: 300 },
      { captureName: 'PSAzureFunction' },
    );
    const replaced = await run.finish(replacing);
    expect(replaced).toMatchObject({
      outcome: 'succeeded',
      capture: {
        name: 'PSAzureFunction',
        mode: 'created',
        replaced: 'finishedBeforeThisRun',
        cleanup: 'deleted',
      },
    });
    await run.replaysDeterministically(replacing);

    const conflicting = await run.start(
      'vm-web-01',
      { timeLimitSeconds: 300 },
      { captureName: 'still-running' },
    );
    const conflict = await run.finish(conflicting);
    expect(conflict).toMatchObject({
      outcome: 'failed',
      error: { code: 'CAPTURE_NAME_CONFLICT', phase: 'creating' },
      notifications: { delivered: [{ ok: true }] },
    });
    expect(conflict.capture).toBeUndefined();
    expect((await captureStatusOutsideTheApp(stack, 'still-running')).packetCaptureStatus).toBe('Running');
    await run.replaysDeterministically(conflicting);
  });

  it('reports a VM without the agent as a failure, creating nothing', async () => {
    const run = await createRunHarness(stack);
    const id = await run.start('vm-db-01');
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      target: { vmName: 'vm-db-01' },
      error: {
        code: 'AGENT_EXTENSION_MISSING',
        phase: 'preparing',
        message: expect.stringContaining('AUTO_INSTALL_AGENT'),
      },
      notifications: { delivered: [{ ok: true }] },
      warnings: [],
    });
    expect(report.capture).toBeUndefined();
    // A permanent failure is not retried.
    expect(activityCalls(run, id, 'resolveTarget')).toBe(1);
    expect((await stack.admin.requests()).counts.create).toBeUndefined();
    expect(notifications()[0]).toMatchObject({
      event: 'capture.failed',
      report: { error: { code: 'AGENT_EXTENSION_MISSING' } },
      download: null,
    });
    expect(run.statuses.at(-1)).toMatchObject({
      phase: 'failed',
      error: { code: 'AGENT_EXTENSION_MISSING' },
    });
    await run.replaysDeterministically(id);
  });

  it('cleans up a capture whose creation failed for good', async () => {
    const run = await createRunHarness(stack);
    await stack.admin.addFaults({ capture: [{ kind: 'agentMissing' }] });
    const id = await run.start('vm-web-01');
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'CAPTURE_PROVISIONING_FAILED', phase: 'creating' },
      capture: { mode: 'created', cleanup: 'deleted' },
    });
    expect(await run.sessions()).toEqual([]);
    await run.replaysDeterministically(id);
  });

  it('keeps following through an ARM outage longer than one check’s retries, and still delivers the file', async () => {
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    await run.untilPhase(id, 'capturing');
    // Every attempt of the first check fails (about 2.5 min of 503s): the check is missed, not fatal.
    await stack.admin.addFaults({
      http: [{ route: 'queryStatus', kind: 'unavailable', times: 6, retryAfterSeconds: 30 }],
    });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { status: 'Stopped', stopReason: 'TimeExceeded', stoppedBy: 'service', cleanup: 'deleted' },
      file: { format: 'pcap' },
      timings: { endNoticedAt: new Date(t0 + 60 * MINUTE).toISOString() },
      warnings: [
        {
          code: 'ARM_UNAVAILABLE',
          phase: 'capturing',
          step: 'getCaptureStatus',
          details: { attempts: 6, missedChecks: 1 },
        },
      ],
    });
    expect(report.error).toBeUndefined();
    expect(activityCalls(run, id, 'stopCapture')).toBe(0);
    expect((await stack.admin.requests()).counts.stop).toBeUndefined();
    await run.replaysDeterministically(id);
  });

  it('after a failed stop settle, compensation stops the capture again and still verifies its file', async () => {
    const run = await createRunHarness(stack);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    await run.untilPhase(id, 'capturing');
    await run.host.advanceBy(12 * MINUTE);
    // The stop goes through, but every status read of the settle fails past its 2 minutes.
    await stack.admin.addFaults({
      http: [{ route: 'queryStatus', kind: 'unavailable', times: 6, retryAfterSeconds: 30 }],
    });
    await run.host.raiseEvent(id, STOP_CAPTURE_EVENT, { reason: 'enough' });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'CAPTURE_DEADLINE_EXCEEDED', phase: 'stopping' },
      capture: { status: 'Stopped', stoppedBy: 'operator', cleanup: 'deleted' },
      file: { format: 'pcap' },
      summary: { packets: expect.any(Number) },
      warnings: [{ code: 'ARM_UNAVAILABLE', step: 'getCaptureStatus', details: { missedChecks: 1 } }],
    });
    expect(activityCalls(run, id, 'stopCapture')).toBe(2);
    expect(activityCalls(run, id, 'verifyCaptureBlob')).toBe(1);
    await run.replaysDeterministically(id);
  });

  it('keeps a capture it could not stop instead of deleting it while it may still write its file', async () => {
    const run = await createRunHarness(stack);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    await run.untilPhase(id, 'capturing');
    // The operator's stop and compensation's stop both run out of retries.
    await stack.admin.addFaults({
      http: [{ route: 'stop', kind: 'unavailable', times: 12, retryAfterSeconds: 30 }],
    });
    await run.host.raiseEvent(id, STOP_CAPTURE_EVENT, { reason: 'enough' });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'ARM_UNAVAILABLE', phase: 'stopping', step: 'stopCapture' },
      capture: { stoppedBy: 'operator', cleanup: 'kept' },
      warnings: [
        { code: 'ARM_UNAVAILABLE', phase: 'compensating', step: 'stopCapture' },
        { code: 'CAPTURE_KEPT_UNENDED', phase: 'cleaningUp', details: { capture: report.capture!.name } },
      ],
    });
    expect(activityCalls(run, id, 'deleteCapture')).toBe(0);
    expect((await run.sessions()).map((s) => [s.name, s.status])).toEqual([
      [report.capture!.name, 'Running'],
    ]);
    await run.replaysDeterministically(id);
  });

  it('links the notification to the run’s status on the app’s public host (WEBSITE_HOSTNAME), and only then', async () => {
    process.env.WEBSITE_HOSTNAME = 'func-capture.azurewebsites.net';
    try {
      const run = await createRunHarness(stack);
      const id = await run.start('vm-db-01');
      await run.finish(id);
      expect(notifications()[0]).toMatchObject({
        report: { statusUrl: `https://func-capture.azurewebsites.net/api/captures/${id}` },
      });
      await run.replaysDeterministically(id);
    } finally {
      delete process.env.WEBSITE_HOSTNAME;
    }
    receiver.reset();
    const run = await createRunHarness(stack);
    await run.finish(await run.start('vm-db-01'));
    expect(notifications()[0]!.report.statusUrl).toBeUndefined();
  });

  it('ends a malformed start in a failure report too', async () => {
    const run = await createRunHarness(stack);
    const id = await run.host.start('captureOnAlert', { vm: 'not a request' });
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'failed',
      target: { requestedVmId: '' },
      error: { code: 'ACTIVITY_INPUT_INVALID', phase: 'preparing' },
    });
    await run.replaysDeterministically(id);
  });

  it('rides out 429 and 503 storms with durable retries and completes', async () => {
    const run = await createRunHarness(stack);
    // A Retry-After beyond what an activity sleeps on fails each attempt at once: the orchestrator retries.
    const storm = { retryAfterSeconds: 30 } as const;
    await stack.admin.addFaults({
      http: [
        { route: 'vm', kind: 'throttle', times: 2, ...storm },
        { route: 'list', kind: 'unavailable', times: 3, ...storm },
        { route: 'create', kind: 'throttle', times: 4, ...storm },
        { route: 'queryStatus', kind: 'unavailable', times: 2, ...storm },
        { route: 'delete', kind: 'throttle', times: 1, ...storm },
      ],
    });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { cleanup: 'deleted' },
      file: { format: 'pcap' },
    });
    const stats = run.host.stats(id);
    expect(stats.activityFailures).toBe(2 + 3 + 4 + 2 + 1);
    expect(activityCalls(run, id, 'createCapture')).toBe(5);
    // Each retry waited on a durable timer (5, 10, 20, 40 s): 15 s for the VM read, 35 s for the
    // list, 75 s for the create, so the capture exists 125 s after the run began.
    expect((await stack.admin.requests()).counts.create).toMatchObject({ faults: 4 });
    expect(Date.parse(report.timings.captureCreatedAt!) - Date.parse(report.timings.startedAt)).toBe(125_000);
    await run.replaysDeterministically(id);
  });

  it('reports an agent that stopped mid-capture with Network Watcher’s errors verbatim', async () => {
    const run = await createRunHarness(stack);
    await stack.admin.addFaults({ capture: [{ kind: 'agentStopped', afterSeconds: 120 }] });
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 1800 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      capture: { status: 'Error', errors: ['AgentStopped'], cleanup: 'deleted' },
      error: { code: 'CAPTURE_FAILED', message: expect.stringContaining('AgentStopped') },
    });
    // Seen at the first coarse check, not at the end of the 30 minutes.
    expect(report.timings.endNoticedAt).toBe(new Date(t0 + 5 * MINUTE).toISOString());
    expect(activityCalls(run, id, 'verifyCaptureBlob')).toBe(0);
    expect(notifications()[0]).toMatchObject({
      event: 'capture.failed',
      report: { capture: { errors: ['AgentStopped'] } },
    });
    await run.replaysDeterministically(id);
  });

  it('notices a capture that ended early at its byte limit', async () => {
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600, bytesPerSession: 300_000 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { status: 'Stopped', stopReason: 'BytesExceeded', stoppedBy: 'service' },
      timings: { endNoticedAt: new Date(t0 + 5 * MINUTE).toISOString(), checks: { coarse: 1, fast: 0 } },
    });
    expect(report.file!.size).toBeLessThanOrEqual(300_000);
    await run.replaysDeterministically(id);
  });

  it('stops the capture at once when an operator raises StopCapture, and still delivers the file', async () => {
    const run = await createRunHarness(stack);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    await run.untilPhase(id, 'capturing');
    await run.host.advanceBy(12 * MINUTE);
    const stoppedAt = run.host.now().toISOString();
    await run.host.raiseEvent(id, STOP_CAPTURE_EVENT, { reason: 'enough data', requestedBy: 'alice' });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: {
        status: 'Stopped',
        stoppedBy: 'operator',
        stopRequest: { at: stoppedAt, reason: 'enough data', requestedBy: 'alice' },
        cleanup: 'deleted',
      },
      timings: { endNoticedAt: stoppedAt, checks: { coarse: 2 } },
      file: { format: 'pcap' },
    });
    expect(run.statuses.some((s) => s.phase === 'stopping' && s.stopRequested?.requestedBy === 'alice')).toBe(
      true,
    );
    // The check timer the event beat was canceled: nothing is left pending.
    expect(run.host.nextTimerAt()).toBeUndefined();
    expect(notifications()[0]).toMatchObject({ report: { capture: { stoppedBy: 'operator' } } });
    await run.replaysDeterministically(id);
  });

  it('acts on a StopCapture raised while a status check is in flight, and creates nothing for one raised before the capture exists', async () => {
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    await run.untilPhase(id, 'capturing');
    // The first check reads the capture, then its status query hangs: the event arrives meanwhile.
    await stack.admin.clearRequests();
    await stack.admin.addFaults({ http: [{ route: 'queryStatus', kind: 'slow', delayMs: 1000, times: 1 }] });
    const checking = run.host.advanceBy(5 * MINUTE);
    while (!(await stack.admin.requests()).counts.get) await new Promise((r) => setTimeout(r, 10));
    await run.host.raiseEvent(id, STOP_CAPTURE_EVENT, { reason: 'during the check' });
    await checking;
    const report = await run.finish(id);
    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { stoppedBy: 'operator', stopRequest: { reason: 'during the check' } },
      timings: { endNoticedAt: new Date(t0 + 5 * MINUTE).toISOString(), checks: { coarse: 1 } },
    });
    await run.replaysDeterministically(id);

    const early = await run.start('vm-web-02', { timeLimitSeconds: 3600 });
    await run.host.raiseEvent(early, STOP_CAPTURE_EVENT, { reason: 'right away', requestedBy: 'bob' });
    const earlyReport = await run.finish(early);
    // Stopped before the capture existed: none is created only to be stopped.
    expect(earlyReport).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'RUN_CANCELLED',
        phase: 'creating',
        step: 'createCapture',
        message: expect.stringContaining('right away'),
        details: { reason: 'right away', requestedBy: 'bob' },
      },
      warnings: [],
    });
    expect(earlyReport.capture).toBeUndefined();
    expect(activityCalls(run, early, 'createCapture')).toBe(0);
    expect((await run.sessions()).map((s) => s.vmId.toLowerCase())).not.toContain(
      stack.vmId('vm-web-02').toLowerCase(),
    );
    await run.replaysDeterministically(early);
  });

  it('stops a capture not started by the end of its start grace, long before its deadline, and reports it', async () => {
    const run = await createRunHarness(stack);
    await stack.admin.addFaults({ capture: [{ kind: 'neverStarts' }] });
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-01', { timeLimitSeconds: 3600 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      capture: { status: 'Stopped', stoppedBy: 'deadline', cleanup: 'deleted' },
      error: {
        code: 'CAPTURE_NOT_STARTED',
        phase: 'stopping',
        details: { status: 'NotStarted', startGraceSeconds: 600 },
      },
      // The first check at 5 min, then one at the end of the 10-minute grace instead of at 35 min.
      timings: { endNoticedAt: new Date(t0 + 10 * MINUTE).toISOString(), checks: { coarse: 2 } },
      warnings: [],
    });
    expect(activityCalls(run, id, 'stopCapture')).toBe(1);
    expect(activityCalls(run, id, 'verifyCaptureBlob')).toBe(0);
    expect(run.statuses.some((s) => s.phase === 'stopping')).toBe(true);
    await run.replaysDeterministically(id);
  });

  it('reports a capture file that never reaches storage (after the wait its limits allow) or is empty', async () => {
    let deleteUploads = true;
    const run = await createRunHarness(stack, {
      afterClockAdvance: async () => {
        if (!deleteUploads) return;
        for (const session of await stack.admin.sessions()) {
          if (session.uploaded && session.storagePath)
            await blobAt(stack, session.storagePath).deleteIfExists();
        }
      },
    });
    const missing = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const missingReport = await run.finish(missing);
    // 1 GiB at 1 MiB/s, a twentieth of 300 s and two minutes: the wait the session's limits allow.
    const budget = uploadWaitBudgetSeconds({ bytesPerSession: 1_073_741_824, timeLimitSeconds: 300 });
    expect(budget).toBe(120 + 1024 + 15);
    expect(missingReport).toMatchObject({
      outcome: 'failed',
      capture: { status: 'Stopped', cleanup: 'deleted' },
      error: {
        code: 'BLOB_NOT_FOUND',
        phase: 'verifying',
        step: 'observeCaptureBlob',
        details: { waitedSeconds: budget },
      },
    });
    const looks = Number(missingReport.error!.details!.looks);
    expect(activityCalls(run, missing, 'observeCaptureBlob')).toBe(looks);
    expect(activityCalls(run, missing, 'verifyCaptureBlob')).toBe(0);
    await run.replaysDeterministically(missing);

    deleteUploads = false;
    await stack.admin.addFaults({ capture: [{ kind: 'emptyFile' }] });
    const empty = await run.start('vm-web-02', { timeLimitSeconds: 300 });
    const emptyReport = await run.finish(empty);
    expect(emptyReport).toMatchObject({
      outcome: 'failed',
      error: { code: 'BLOB_EMPTY', phase: 'verifying' },
    });
    // Two looks (the same 0 bytes both times: settled), then one read that finds it empty.
    expect(activityCalls(run, empty, 'observeCaptureBlob')).toBe(2);
    expect(activityCalls(run, empty, 'verifyCaptureBlob')).toBe(1);
    await run.replaysDeterministically(empty);
  });

  it('succeeds when the notification target is down, noting the failed delivery', async () => {
    process.env.NOTIFY_WEBHOOK_URL = receiver.url('/down');
    reloadAppSettings();
    receiver.answer('/down', { status: 503, body: 'maintenance' });
    try {
      const run = await createRunHarness(stack);
      const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
      const report: CaptureReport = await run.finish(id);

      expect(report).toMatchObject({
        outcome: 'succeeded',
        notifications: {
          delivered: [],
          failed: [{ target: 'webhook', ok: false, status: 503, attempts: 4 }],
        },
        capture: { cleanup: 'deleted' },
      });
      expect(report.error).toBeUndefined();
      expect(receiver.received('/down')).toHaveLength(4);
      await run.replaysDeterministically(id);
    } finally {
      process.env.NOTIFY_WEBHOOK_URL = receiver.url('/hook');
      reloadAppSettings();
    }
  });
});
