import { activityErrorCode, type ActivityResult } from '../../activities/activityResult';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../activities/contract';
import { ERROR_CATALOG, type ErrorCode } from '../../errors/catalog';
import type { Run, Step } from './run';
import { StepFailure } from './StepFailure';
import { STEP_RETRY, stepRetryOptions } from './stepRetry';

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

/**
 * The failure's own message out of what the runtime reports after the last attempt
 * ("Activity function 'x' failed: Result: Failure\nException: [CODE] text\nStack: ..."): the
 * text after the code, without the stack.
 */
function failureText(error: unknown, code: ErrorCode): string {
  const message = error instanceof Error ? error.message : String(error);
  const exception = /Exception: ([^\n]*)/.exec(message)?.[1] ?? message.split('\n')[0] ?? '';
  return exception.replace(`[${code}] `, '').trim() || ERROR_CATALOG[code].title;
}
