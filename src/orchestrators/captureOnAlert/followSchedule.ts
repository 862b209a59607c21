/**
 * When a run looks at its capture. Pure functions of the run's own facts (no clock, no I/O) so
 * that the orchestrator stays deterministic and the schedule can be tested on its own.
 *
 * Every check costs about 8 history events (timer created and fired, activity scheduled and
 * completed, two episodes), and every episode replays the whole history. So the run sleeps to
 * the capture's expected end, looking in between only at a coarse interval for an early end (byte
 * limit, agent error), and checks fast once the end is due.
 */
export const FOLLOW_POLICY = {
  /**
   * Coarse checks before the expected end, at most. The interval is CAPTURE_CHECK_INTERVAL_SECONDS
   * but stretched for long captures so that the count stays under this: a 5-hour capture then
   * costs about 120 history events instead of 500.
   */
  maxCoarseChecks: 10,
  /**
   * Gaps between the fast checks after the expected end; the last gap repeats. At most 60 s, so
   * an end is seen within a minute.
   */
  fastCheckGapsSeconds: [10, 20, 40, 60],
  /** How long after its expected end the capture may run before the run stops it. */
  deadlineGraceSeconds: 300,
  /** After a stop, how long the run waits for Network Watcher to report the capture ended. */
  settleAfterStopSeconds: 120,
  /**
   * How long a capture may take to start, at least; twice the check interval when that is longer.
   * Network Watcher starts one within seconds to a minute or two once the agent has it: one never
   * seen running past this is stopped, rather than waited for up to its deadline.
   */
  minStartGraceSeconds: 600,
} as const;

/** Network Watcher's time limit when a capture does not state one. */
export const SERVICE_DEFAULT_TIME_LIMIT_SECONDS = 18_000;

export interface FollowFacts {
  /** When the run began following: the capture was created or joined. */
  anchor: Date;
  /** Network Watcher's capture start time, once known; the expected end follows it. */
  startedAt?: Date;
  timeLimitSeconds: number;
  /** CAPTURE_CHECK_INTERVAL_SECONDS. */
  checkIntervalSeconds: number;
}

export interface FollowPlan {
  expectedEndAt: Date;
  deadlineAt: Date;
  firstCheckAt: Date;
  /** A capture not seen running by then never started. */
  startGraceEndsAt: Date;
  /** The interval between coarse checks after the first one. */
  checkIntervalSeconds: number;
}

export type Wake = { kind: 'coarse' | 'end' | 'fast'; at: Date } | { kind: 'deadline' };

const SECOND = 1000;

export function planFollow(facts: FollowFacts): FollowPlan {
  const { anchor, startedAt, timeLimitSeconds, checkIntervalSeconds } = facts;
  if (!(timeLimitSeconds > 0))
    throw new RangeError(`timeLimitSeconds must be positive, got ${timeLimitSeconds}`);
  if (!(checkIntervalSeconds > 0)) {
    throw new RangeError(`checkIntervalSeconds must be positive, got ${checkIntervalSeconds}`);
  }
  const expectedEnd = (startedAt ?? anchor).getTime() + timeLimitSeconds * SECOND;
  const firstCheck = anchor.getTime() + checkIntervalSeconds * SECOND;
  // Spread so that the checks from the first one to the end are at most maxCoarseChecks.
  const stretched = Math.ceil((expectedEnd - firstCheck) / SECOND / FOLLOW_POLICY.maxCoarseChecks);
  const startGrace = Math.max(2 * checkIntervalSeconds, FOLLOW_POLICY.minStartGraceSeconds);
  return {
    expectedEndAt: new Date(expectedEnd),
    deadlineAt: new Date(expectedEnd + FOLLOW_POLICY.deadlineGraceSeconds * SECOND),
    firstCheckAt: new Date(firstCheck),
    startGraceEndsAt: new Date(anchor.getTime() + startGrace * SECOND),
    checkIntervalSeconds: Math.max(checkIntervalSeconds, stretched),
  };
}

/**
 * The next time to look at the capture, given the time now and how many fast checks were made:
 * the next coarse check before the expected end, the expected end itself, then fast checks up to
 * the deadline, and `deadline` once it has passed. While the capture has not been seen running,
 * a check falls on the end of the start grace if the coarse schedule would pass it.
 */
export function nextWake(plan: FollowPlan, now: Date, fastChecksDone: number, awaitingStart = false): Wake {
  const t = now.getTime();
  const end = plan.expectedEndAt.getTime();
  const deadline = plan.deadlineAt.getTime();
  if (t >= deadline) return { kind: 'deadline' };
  if (t < end) {
    const graceEnd = plan.startGraceEndsAt.getTime();
    const scheduled = nextCoarseCheck(plan, t);
    const coarse = awaitingStart && t < graceEnd ? Math.min(scheduled, graceEnd) : scheduled;
    return coarse < end ? { kind: 'coarse', at: new Date(coarse) } : { kind: 'end', at: plan.expectedEndAt };
  }
  const gaps = FOLLOW_POLICY.fastCheckGapsSeconds;
  const gap = gaps[Math.min(fastChecksDone, gaps.length - 1)]! * SECOND;
  return { kind: 'fast', at: new Date(Math.min(t + gap, deadline)) };
}

/** The first check, then one interval after the last look (a late wake-up shifts the rest). */
function nextCoarseCheck(plan: FollowPlan, t: number): number {
  const first = plan.firstCheckAt.getTime();
  return t < first ? first : t + plan.checkIntervalSeconds * SECOND;
}

/** Gap before the n-th status check (from 0) while waiting for a stopped capture to settle. */
export function settleGapSeconds(checksDone: number): number {
  const gaps = FOLLOW_POLICY.fastCheckGapsSeconds;
  return gaps[Math.min(checksDone, gaps.length - 1)]!;
}
