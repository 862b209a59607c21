import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOP_CAPTURE_EVENT } from '../../src/orchestrators/contract';
import { useOfflineStack } from '../support/stack';
import { reloadAppSettings } from './support/appModules';
import { captureStatusOutsideTheApp, startCaptureOutsideTheApp } from './support/otherCaptures';
import { createRunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-slots' });
const MINUTE = 60_000;

// One session allowed per watcher, and 15 minutes to wait for it.
beforeAll(() => {
  process.env.CAPTURE_SESSION_LIMIT = '1';
  process.env.CAPTURE_SLOT_WAIT_SECONDS = '900';
  reloadAppSettings();
});
afterAll(() => {
  delete process.env.CAPTURE_SESSION_LIMIT;
  delete process.env.CAPTURE_SLOT_WAIT_SECONDS;
  reloadAppSettings();
});

describe('captureOnAlert and the session limit', () => {
  it('waits on durable timers while the limit is reached and captures once a slot is free', async () => {
    const run = await createRunHarness(stack);
    const t0 = run.host.now().getTime();
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'other-vm-capture', 600);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });

    const waiting = await run.untilPhase(id, 'waitingForSlot');
    expect(waiting).toMatchObject({
      slot: {
        sessionLimit: 1,
        freeSlots: 0,
        running: 1,
        waitingUntil: new Date(t0 + 15 * MINUTE).toISOString(),
      },
    });
    expect(waiting.captureName).toBeUndefined();
    const report = await run.finish(id);

    // Looks at +30 s, +90 s, +210 s, +450 s and +750 s; the other capture ended at +600 s.
    expect(report).toMatchObject({
      outcome: 'succeeded',
      timings: { slotWaitSeconds: 750, captureCreatedAt: new Date(t0 + 750_000).toISOString() },
      capture: { mode: 'created', stopReason: 'TimeExceeded' },
    });
    // Five waits for the slot, the looks for an early stop (before the create) and for later alerts
    // (at the end), the end of the capture, and the second look at its file (unchanged: settled).
    expect(run.host.stats(id).timersCreated).toBe(5 + 1 + 1 + 1 + 1);
    await run.replaysDeterministically(id);
  });

  it('gives up when no slot frees up within CAPTURE_SLOT_WAIT_SECONDS, creating nothing', async () => {
    const run = await createRunHarness(stack);
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'long-capture', 3600);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'CAPTURE_SLOT_TIMEOUT',
        phase: 'waitingForSlot',
        details: { sessionLimit: 1, waitedSeconds: 900, running: [{ name: 'long-capture' }] },
      },
      timings: { finishedAt: new Date(run.host.now()).toISOString() },
    });
    expect(report.capture).toBeUndefined();
    expect((await run.sessions()).map((s) => s.name)).toEqual(['long-capture']);
    expect((await captureStatusOutsideTheApp(stack, 'long-capture')).packetCaptureStatus).toBe('Running');
    await run.replaysDeterministically(id);
  });

  it('is cancelled by StopCapture while it waits for a slot', async () => {
    const run = await createRunHarness(stack);
    await startCaptureOutsideTheApp(stack, 'vm-web-02', 'blocking-capture', 3600);
    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    await run.untilPhase(id, 'waitingForSlot');
    await run.host.advanceBy(2 * MINUTE);
    await run.host.raiseEvent(id, STOP_CAPTURE_EVENT, { reason: 'false alarm' });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'failed',
      error: { code: 'RUN_CANCELLED', message: expect.stringContaining('false alarm') },
    });
    expect(report.capture).toBeUndefined();
    // The slot checks at +30 s and +90 s fired; the wait the event cut short was canceled.
    expect(run.host.stats(id).timersFired).toBe(2);
    expect(run.host.nextTimerAt()).toBeUndefined();
    expect((await run.sessions()).map((s) => s.name)).toEqual(['blocking-capture']);
    await run.replaysDeterministically(id);
  });
});
