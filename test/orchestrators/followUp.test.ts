import { describe, expect, it } from 'vitest';
import { EventType } from '../../local/durable';
import type { CaptureRequest } from '../../src/capture/types';
import { ALERT_FIRED_EVENT } from '../../src/orchestrators/contract';
import { useNotificationReceiver } from './support/notificationReceiver';
import { useOfflineStack } from '../support/stack';
import { captureRequest, createRunHarness, type RunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-followup' });
const receiver = useNotificationReceiver();
const MINUTE = 60_000;

/** The request the webhook raises for a later firing of an alert on the same VM. */
function laterFiring(run: RunHarness, vm: string, alertId: string, timeLimitSeconds = 300): CaptureRequest {
  return captureRequest(
    stack.vmId(vm),
    { timeLimitSeconds },
    {
      alert: {
        schema: 'commonAlertSchema',
        alertId,
        ruleName: 'Network Out above normal',
        firedAt: run.host.now().toISOString(),
      },
    },
  );
}

function statusChecks(run: RunHarness, id: string): number {
  return run.host
    .history(id)
    .filter((e) => e.EventType === EventType.TaskScheduled && e.Name === 'getCaptureStatus').length;
}

describe('captureOnAlert and later firings on the same VM (AlertFired)', () => {
  it('captures again, under the same instance id, for a firing that comes after the capture ended', async () => {
    const run = await createRunHarness(stack);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    await run.untilPhase(id, 'capturing');
    // The firing comes while the run cleans up after the first capture (its delete held back).
    await stack.admin.addFaults({ http: [{ route: 'delete', kind: 'slow', delayMs: 1000, times: 1 }] });
    const finishing = run.finish(id);
    const phase = () => (run.host.getStatus(id)?.customStatus as { phase?: string } | undefined)?.phase;
    while (phase() !== 'cleaningUp') await new Promise((r) => setTimeout(r, 10));
    await run.host.raiseEvent(id, ALERT_FIRED_EVENT, laterFiring(run, 'vm-web-01', 'alert-2'));
    const report = await finishing;

    const [first, second] = receiver.received('/hook').map((r) => JSON.parse(r.body) as never) as Array<{
      report: {
        outcome: string;
        capture: { name: string };
        alert: { alertId: string };
        file: { url: string };
      };
    }>;
    expect(first!.report).toMatchObject({ outcome: 'succeeded', alert: { alertId: 'alert-1' } });
    expect(report).toMatchObject({
      outcome: 'succeeded',
      instanceId: id,
      alert: { alertId: 'alert-2' },
      capture: { mode: 'created', status: 'Stopped', cleanup: 'deleted' },
      file: { format: 'pcap' },
      previous: {
        outcome: 'succeeded',
        alert: { alertId: 'alert-1' },
        captureName: first!.report.capture.name,
        fileUrl: first!.report.file.url,
      },
    });
    expect(report.capture!.name).not.toBe(first!.report.capture.name);
    expect(second!.report).toMatchObject({
      alert: { alertId: 'alert-2' },
      capture: { name: report.capture!.name },
    });
    expect(run.host.record(id).counters.executions).toBe(2);
    expect(await run.sessions()).toEqual([]);
    await run.replaysDeterministically(id);
  });

  it('lets a firing join a capture still running, checking it at once; a duplicate of its own alert costs nothing', async () => {
    receiver.reset();
    const run = await createRunHarness(stack);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 1800 });
    await run.untilPhase(id, 'capturing');
    await run.host.advanceBy(2 * MINUTE);
    const own = captureRequest(stack.vmId('vm-web-01'), { timeLimitSeconds: 1800 });
    await run.host.raiseEvent(id, ALERT_FIRED_EVENT, own);
    await run.host.raiseEvent(id, ALERT_FIRED_EVENT, laterFiring(run, 'vm-web-01', 'alert-2'));
    await run.host.raiseEvent(id, ALERT_FIRED_EVENT, laterFiring(run, 'vm-web-01', 'alert-2'));
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      alert: { alertId: 'alert-1' },
      capture: { stopReason: 'TimeExceeded', stoppedBy: 'service' },
      joinedAlerts: [{ alertId: 'alert-2' }],
      timings: { checks: { onAlert: 1 } },
    });
    expect(report.followUp).toBeUndefined();
    // The regular checks (first at 5 min, stretched ones, the end) plus the one the new firing asked for.
    expect(statusChecks(run, id)).toBe(report.timings.checks.coarse + report.timings.checks.fast + 1);
    expect(run.host.record(id).counters.executions).toBe(1);
    expect(receiver.received('/hook')).toHaveLength(1);
    await run.replaysDeterministically(id);
  });

  it('captures again for a firing that comes after the capture ended unnoticed (byte limit) before the next check', async () => {
    receiver.reset();
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    const id = await run.start('vm-web-02', { timeLimitSeconds: 3600, bytesPerSession: 300_000 });
    await run.untilPhase(id, 'capturing');
    await run.host.advanceBy(4 * MINUTE);
    const [session] = await run.sessions();
    expect(session).toMatchObject({ status: 'Stopped', stopReason: 'BytesExceeded' });
    await run.host.raiseEvent(id, ALERT_FIRED_EVENT, laterFiring(run, 'vm-web-02', 'alert-2'));
    const report = await run.finish(id);

    const [first] = receiver.received('/hook').map((r) => JSON.parse(r.body) as never) as Array<{
      report: { outcome: string; capture: { name: string; endedAt: string } };
    }>;
    // The first run saw the end at the check the firing asked for, a minute before its 5-minute check.
    expect(first!.report).toMatchObject({
      outcome: 'succeeded',
      capture: { name: session!.name, endedAt: new Date(t0 + 4 * MINUTE).toISOString() },
    });
    expect(report).toMatchObject({
      outcome: 'succeeded',
      alert: { alertId: 'alert-2' },
      previous: { captureName: session!.name },
      capture: { settings: { timeLimitSeconds: 300 } },
    });
    expect(run.host.record(id).counters.executions).toBe(2);
    await run.replaysDeterministically(id);
  });
});
