import * as df from 'durable-functions';
import { activityErrorCode, type ActivityResult } from '../../activities/activityResult';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../activities/contract';
import type { ReportError } from '../../capture/report';
import { activityFailureMessage, withCode } from '../../runtime/wireContracts';
import { AppError } from '../../errors/AppError';
import { ERROR_CATALOG, type ErrorCode } from '../../errors/catalog';
import { now, publishStatus, type Run, type Step } from './run';

/**
 * How every activity call of a run is retried. Only retriable failures reach this policy: the
 * activities return permanent ones as a result instead of throwing. Waits: 5, 10, 20, 40, 60 s
 * (about 2 min in all), long enough for a throttling or a short outage to pass. The retry
 * timeout option stays unset: when it expires the SDK waits forever (durable-functions-js#629).
 */
export const STEP_RETRY = {
  firstRetryIntervalMs: 5_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 60_000,
  maxAttempts: 6,
} as const;

export function stepRetryOptions(): df.RetryOptions {
  const options = new df.RetryOptions(STEP_RETRY.firstRetryIntervalMs, STEP_RETRY.maxAttempts);
  options.backoffCoefficient = STEP_RETRY.backoffCoefficient;
  options.maxRetryIntervalInMilliseconds = STEP_RETRY.maxRetryIntervalMs;
  return options;
}

export interface StepFailureOptions {
  /** The activity (or the orchestrator's own step) that failed. */
  step: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A step of a run that failed for good: an activity's permanent failure, a retriable one whose
 * retries ran out, or a decision of the orchestrator (no free slot, a failed capture). The run
 * catches it, compensates and reports it.
 */
export class StepFailure extends AppError {
  override name = 'StepFailure';
  readonly step: string;

  constructor(code: ErrorCode, message: string, options: StepFailureOptions) {
    super(code, message, { details: options.details, cause: options.cause });
    this.step = options.step;
  }
}

/**
 * Calls an activity with the run's retry policy and unwraps its result envelope: the value, or a
 * StepFailure carrying the activity's code, message and details verbatim. Retriable failures are
 * retried by the Durable runtime with durable timers; permanent ones come back as a result, so
 * they are never retried. The activity's name types its input and its output (activities/contract).
 */
export function* callStep<N extends ActivityName>(
  run: Run,
  activity: N,
  input: ActivityInput<N>,
): Step<ActivityOutput<N>> {
  let refused: PermissionWait | undefined;
  for (;;) {
    try {
      const value = yield* callOnce(run, activity, input);
      if (refused) endPermissionWait(run, refused);
      return value;
    } catch (error) {
      if (!(error instanceof StepFailure) || error.code !== 'PERMISSIONS_NOT_EFFECTIVE') throw error;
      refused ??= startPermissionWait(run, activity, error);
      refused.attempts += 1;
      const graceSeconds = run.settings?.permissionGraceSeconds ?? 0;
      const waitedMs = now(run).getTime() - refused.since.getTime();
      if (waitedMs >= graceSeconds * 1000) {
        endPermissionWait(run, refused, error);
        throw error;
      }
      const gap =
        PERMISSION_WAIT_GAPS_SECONDS[
          Math.min(refused.attempts - 1, PERMISSION_WAIT_GAPS_SECONDS.length - 1)
        ]!;
      const wake = Math.min(now(run).getTime() + gap * 1000, refused.since.getTime() + graceSeconds * 1000);
      yield run.context.df.createTimer(new Date(wake));
    }
  }
}

/** Waits between two tries of a step Azure refused as not yet permitted; the last one repeats. */
const PERMISSION_WAIT_GAPS_SECONDS = [10, 20, 40, 60] as const;

interface PermissionWait {
  step: string;
  since: Date;
  attempts: number;
  refusedWith: unknown;
}

function startPermissionWait(run: Run, step: string, error: StepFailure): PermissionWait {
  run.waitingFor = { what: 'permissions', since: now(run), step };
  publishStatus(run);
  return { step, since: now(run), attempts: 0, refusedWith: error.details.refusedWith };
}

/**
 * Reports the wait as a warning ("permissions not yet effective"): how long Azure refused the
 * step and how it ended, so that an operator knows why the run was slow, or why it failed.
 */
function endPermissionWait(run: Run, wait: PermissionWait, failure?: StepFailure): void {
  run.waitingFor = undefined;
  publishStatus(run);
  const waitedSeconds = Math.round((now(run).getTime() - wait.since.getTime()) / 1000);
  run.warnings.push({
    code: 'PERMISSIONS_NOT_EFFECTIVE',
    message: failure
      ? `Azure still refused ${wait.step} (${String(wait.refusedWith)}) after ${waitedSeconds} s and ${wait.attempts} tries ` +
        '(PERMISSION_GRACE_SECONDS): permissions not yet effective, or missing. Check the role assignments in infra/.'
      : `Permissions not yet effective: Azure refused ${wait.step} (${String(wait.refusedWith)}) for ${waitedSeconds} s ` +
        `after the app started; it went through on try ${wait.attempts + 1}, once the app's role assignments took effect.`,
    phase: run.phase,
    step: wait.step,
    details: { waitedSeconds, attempts: wait.attempts, refusedWith: wait.refusedWith },
  });
}

/** One call of the activity under the retry policy (see callStep). */
function* callOnce<N extends ActivityName>(
  run: Run,
  activity: N,
  input: ActivityInput<N>,
): Step<ActivityOutput<N>> {
  let result: ActivityResult<ActivityOutput<N>>;
  try {
    result = (yield run.context.df.callActivityWithRetry(
      activity,
      stepRetryOptions(),
      input,
    )) as ActivityResult<ActivityOutput<N>>;
  } catch (error) {
    const code = activityErrorCode(error) ?? 'INTERNAL_ERROR';
    throw new StepFailure(code, failureText(error, code), {
      step: activity,
      // A retriable failure surfaces here only once the retry policy has run out.
      details: ERROR_CATALOG[code].retriable ? { attempts: STEP_RETRY.maxAttempts } : {},
      cause: error,
    });
  }
  if (!result.ok) {
    throw new StepFailure(result.error.code, result.error.message, {
      step: activity,
      details: result.error.details,
    });
  }
  return result.value;
}

/** The failure's own message out of what the runtime reports after the last attempt, without its code. */
function failureText(error: unknown, code: ErrorCode): string {
  return activityFailureMessage(error).replace(withCode(code, ''), '').trim() || ERROR_CATALOG[code].title;
}

/** A failure as the report carries it: the catalogued code, the message verbatim, the details. */
export function reportErrorOf(error: unknown, phase: string): ReportError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      phase,
      ...(error instanceof StepFailure && { step: error.step }),
      ...(Object.keys(error.details).length > 0 && { details: error.details }),
    };
  }
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'INTERNAL_ERROR', message: `The orchestrator failed unexpectedly: ${described}`, phase };
}
