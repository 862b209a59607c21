import { describe, expect, it } from 'vitest';
import { useOfflineStack } from '../support/stack';
import { createRunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-budget' });

const HISTORY_BUDGET = 150;
const NOTICE_WITHIN_MS = 60_000;

/**
 * Runs a capture to its time limit, noting when the emulator ended the session (read as the
 * clock moves, since the run deletes the capture at the end).
 */
async function captureAtTimeLimit(timeLimitSeconds: number, captureStartDelaySeconds = 0) {
  const endedAt = new Map<string, number>();
  const run = await createRunHarness(stack, {
    // Quiet VMs keep hours of emulated traffic small; the schedule does not depend on the rate.
    packetsPerSecond: 1,
    afterClockAdvance: async () => {
      for (const session of await stack.admin.sessions()) {
        if (session.endedAt) endedAt.set(session.name, Date.parse(session.endedAt));
      }
    },
  });
  await stack.admin.updateSettings({ captureStartDelaySeconds });
  const t0 = run.host.now().getTime();
  const id = await run.start('vm-web-01', { timeLimitSeconds });
  const report = await run.finish(id);
  const sessionEndedAt = endedAt.get(report.capture!.name)!;
  return { run, id, t0, report, sessionEndedAt, stats: run.host.stats(id) };
}

describe('history budget of a capture that runs to its time limit', () => {
  it('keeps a 5-hour capture within 150 history events and notices its end within 60 s', async () => {
    const { run, id, report, sessionEndedAt, stats } = await captureAtTimeLimit(18_000);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: { stopReason: 'TimeExceeded', stoppedBy: 'service' },
      // CAPTURE_CHECK_INTERVAL_SECONDS (300) for the first check, then stretched: 10 coarse checks and the end.
      timings: { checkIntervalSeconds: 1770, checks: { coarse: 11, fast: 0 } },
    });
    expect(stats.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
    expect(stats.totalHistoryEvents).toBe(stats.historyEvents);
    const noticedAfter = Date.parse(report.timings.endNoticedAt!) - sessionEndedAt;
    expect(noticedAfter).toBeGreaterThanOrEqual(0);
    expect(noticedAfter).toBeLessThanOrEqual(NOTICE_WITHIN_MS);
    await run.replaysDeterministically(id);
  });

  it('follows a capture that Network Watcher starts late to its real end, still within the budget', async () => {
    const { run, id, t0, report, sessionEndedAt, stats } = await captureAtTimeLimit(18_000, 45);

    expect(report.timings).toMatchObject({
      captureCreatedAt: new Date(t0).toISOString(),
      captureStartedAt: new Date(t0 + 45_000).toISOString(),
      expectedEndAt: new Date(t0 + 18_045_000).toISOString(),
      endNoticedAt: new Date(t0 + 18_045_000).toISOString(),
    });
    expect(sessionEndedAt).toBe(t0 + 18_045_000);
    expect(stats.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
    await run.replaysDeterministically(id);
  });

  it('costs a 1-hour capture no more than the 5-hour one', async () => {
    const { run, id, report, stats } = await captureAtTimeLimit(3600);
    expect(report.timings.checks).toEqual({ coarse: 11, fast: 0 });
    expect(report.timings.endNoticedAt).toBe(report.timings.expectedEndAt);
    expect(stats.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
    await run.replaysDeterministically(id);
  });
});
