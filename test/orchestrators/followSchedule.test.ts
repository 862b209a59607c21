import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FOLLOW_POLICY,
  nextWake,
  planFollow,
  type FollowPlan,
  type Wake,
} from '../../src/orchestrators/captureOnAlert/followSchedule';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const seconds = (date: Date) => (date.getTime() - T0.getTime()) / 1000;

/** Every wake of a capture that never ends, as the follow loop would take them. */
function wakes(plan: FollowPlan): Wake[] {
  const all: Wake[] = [];
  let now = T0;
  let fast = 0;
  for (;;) {
    const wake = nextWake(plan, now, fast);
    all.push(wake);
    if (wake.kind === 'deadline') return all;
    if (wake.kind === 'fast') fast += 1;
    now = wake.at;
  }
}

describe('follow schedule', () => {
  it('checks every interval up to the end of a short capture, then fast up to the deadline', () => {
    const plan = planFollow({ anchor: T0, timeLimitSeconds: 900, checkIntervalSeconds: 300 });
    expect(
      wakes(plan).map((w) => (w.kind === 'deadline' ? 'deadline' : `${w.kind}@${seconds(w.at)}`)),
    ).toEqual([
      'coarse@300',
      'coarse@600',
      'end@900',
      'fast@910',
      'fast@930',
      'fast@970',
      'fast@1030',
      'fast@1090',
      'fast@1150',
      'fast@1200',
      'deadline',
    ]);
    expect(plan.deadlineAt).toEqual(at(900 + FOLLOW_POLICY.deadlineGraceSeconds));
  });

  it('looks at the end of the start grace while a capture has not been seen running', () => {
    const plan = planFollow({ anchor: T0, timeLimitSeconds: 18_000, checkIntervalSeconds: 300 });
    expect(plan.startGraceEndsAt).toEqual(at(FOLLOW_POLICY.minStartGraceSeconds));
    expect(nextWake(plan, at(300), 0, true)).toEqual({ kind: 'coarse', at: at(600) });
    expect(nextWake(plan, at(300), 0, false)).toEqual({ kind: 'coarse', at: at(300 + 1770) });
    // Past the grace, or with a grace longer than the coarse gap, the schedule is the usual one.
    expect(nextWake(plan, at(600), 0, true)).toEqual({ kind: 'coarse', at: at(600 + 1770) });
    const slow = planFollow({ anchor: T0, timeLimitSeconds: 18_000, checkIntervalSeconds: 900 });
    expect(slow.startGraceEndsAt).toEqual(at(1800));
    expect(nextWake(slow, T0, 0, true)).toEqual({ kind: 'coarse', at: at(900) });
  });

  it('sleeps straight to the end of a capture no longer than the interval', () => {
    const plan = planFollow({ anchor: T0, timeLimitSeconds: 300, checkIntervalSeconds: 300 });
    expect(nextWake(plan, T0, 0)).toEqual({ kind: 'end', at: at(300) });
  });

  it('stretches the interval of a long capture after the first check, to at most 10 coarse checks', () => {
    const plan = planFollow({ anchor: T0, timeLimitSeconds: 18_000, checkIntervalSeconds: 300 });
    expect(plan.checkIntervalSeconds).toBe(1770);
    const coarse = wakes(plan).filter((w) => w.kind === 'coarse');
    expect(coarse.map((w) => seconds((w as { at: Date }).at))).toEqual([
      300, 2070, 3840, 5610, 7380, 9150, 10920, 12690, 14460, 16230,
    ]);
  });

  it('moves the end and the deadline with the start time Network Watcher reports', () => {
    const plan = planFollow({
      anchor: T0,
      startedAt: at(45),
      timeLimitSeconds: 600,
      checkIntervalSeconds: 300,
    });
    expect(plan).toMatchObject({ expectedEndAt: at(645), deadlineAt: at(945), firstCheckAt: at(300) });
    expect(nextWake(plan, at(300), 0)).toEqual({ kind: 'coarse', at: at(600) });
    expect(nextWake(plan, at(600), 0)).toEqual({ kind: 'end', at: at(645) });
  });

  it('refuses a schedule without a positive time limit or interval', () => {
    expect(() => planFollow({ anchor: T0, timeLimitSeconds: 0, checkIntervalSeconds: 300 })).toThrow(
      RangeError,
    );
    expect(() => planFollow({ anchor: T0, timeLimitSeconds: 60, checkIntervalSeconds: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('for any capture: few coarse checks, gaps no shorter than the interval, an end seen within a minute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 18_000 }),
        fc.integer({ min: 10, max: 3600 }),
        fc.integer({ min: -600, max: 600 }),
        (timeLimitSeconds, checkIntervalSeconds, startOffset) => {
          const plan = planFollow({
            anchor: T0,
            startedAt: at(startOffset),
            timeLimitSeconds,
            checkIntervalSeconds,
          });
          const all = wakes(plan);
          const timed = all.filter((w): w is Exclude<Wake, { kind: 'deadline' }> => w.kind !== 'deadline');
          expect(all.at(-1)!.kind).toBe('deadline');
          // A joined capture may already be past its deadline: nothing left to wait for.
          if (plan.deadlineAt <= T0) {
            expect(all).toHaveLength(1);
            return;
          }
          expect(timed.filter((w) => w.kind === 'coarse').length).toBeLessThanOrEqual(
            FOLLOW_POLICY.maxCoarseChecks,
          );
          let previous = T0.getTime();
          for (const wake of timed) {
            const gap = (wake.at.getTime() - previous) / 1000;
            expect(gap).toBeGreaterThan(0);
            if (wake.kind === 'coarse') expect(gap).toBeGreaterThanOrEqual(checkIntervalSeconds);
            if (wake.kind === 'fast') expect(gap).toBeLessThanOrEqual(60);
            previous = wake.at.getTime();
          }
          // The expected end itself is looked at (unless it was already past when the run began).
          if (plan.expectedEndAt > T0)
            expect(timed.some((w) => w.at.getTime() === plan.expectedEndAt.getTime())).toBe(true);
          expect(timed.at(-1)!.at).toEqual(plan.deadlineAt);
        },
      ),
    );
  });
});
