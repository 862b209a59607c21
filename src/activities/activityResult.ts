import type { InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { withinPermissionGrace } from '../azure/permissionGrace';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import { ERROR_CATALOG, type ErrorCode } from '../errors/catalog';
import { invocationLog, type InvocationLog, type LogFields } from '../runtime/invocationLog';
import { codesIn, withCode } from '../runtime/wireContracts';

/** A permanent failure, returned (not thrown) so that the orchestrator never retries it. */
export interface ActivityFailure {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/**
 * What every activity returns. Retriable failures are not in here: they are thrown as
 * `RetriableActivityError`, so `callActivityWithRetry` retries exactly those.
 */
export type ActivityResult<T> = { ok: true; value: T } | { ok: false; error: ActivityFailure };

/**
 * Thrown for a retriable failure. The message starts with `[CODE]` because the message is all
 * that crosses the Durable boundary (runtime/wireContracts); `activityErrorCode` reads it back
 * after retries run out.
 */
export class RetriableActivityError extends Error {
  override name = 'RetriableActivityError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(error: AppError) {
    super(withCode(error.code, error.message), { cause: error });
    this.code = error.code;
    this.details = error.details;
  }
}

/**
 * The catalogued code of a failed activity call as the orchestrator sees it (a
 * `TaskFailedError` or plain Error whose message embeds `[CODE]`), or undefined.
 */
export function activityErrorCode(error: unknown): ErrorCode | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return codesIn(message).find((code): code is ErrorCode => code in ERROR_CATALOG);
}

export interface ActivitySpec<S extends z.ZodType, O, N extends string = string> {
  /** The registered name, which is also the name of the activity's file (see contract.ts). */
  name: N;
  schema: S;
  /** Fields that identify the run on every log line (instance id, VM). */
  scope: (input: z.output<S>) => LogFields;
  run: (input: z.output<S>, log: InvocationLog) => Promise<O>;
}

declare const signature: unique symbol;

/**
 * An activity as the Durable runtime calls it: any input (it is validated inside), a result
 * envelope out. The type also carries what the activity expects (`I`, the input of its schema)
 * and its registered name, so that the orchestrator's calls are checked against them (see
 * contract.ts). Nothing of that exists at run time.
 */
export type ActivityFunction<I, O, N extends string = string> = ((
  input: unknown,
  context: InvocationContext,
) => Promise<ActivityResult<O>>) & { readonly [signature]?: { input: I; name: N } };

/** Any activity, whatever its input and output. */
export type AnyActivityFunction = ActivityFunction<unknown, unknown>;

export type InputOf<F> = F extends { readonly [signature]?: { input: infer I } } ? I : never;
export type OutputOf<F> = F extends (...args: never[]) => Promise<ActivityResult<infer O>> ? O : never;

/** Builds an activity from its spec: every call goes through `runActivity`. */
export function defineActivity<S extends z.ZodType, O, N extends string>(
  spec: ActivitySpec<S, O, N>,
): ActivityFunction<z.input<S>, O, N> {
  return (input, context) => runActivity(spec, input, context);
}

/**
 * The boundary every activity goes through: validates the input, runs the body, logs the
 * outcome, returns successes and permanent failures, and throws retriable ones.
 */
export async function runActivity<S extends z.ZodType, O>(
  spec: ActivitySpec<S, O>,
  rawInput: unknown,
  context: InvocationContext,
): Promise<ActivityResult<O>> {
  const parsed = spec.schema.safeParse(rawInput);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
    );
    const log = invocationLog(context, { activity: spec.name, ...scopeOfInvalid(spec, rawInput) });
    log.error('activity.inputInvalid', { problems });
    return fail(
      new AppError(
        'ACTIVITY_INPUT_INVALID',
        `${spec.name} was called with an invalid input: ${problems.join('; ')}`,
        {
          details: { activity: spec.name, problems },
        },
      ),
    );
  }
  const log = invocationLog(context, { activity: spec.name, ...spec.scope(parsed.data) });
  const started = Date.now();
  try {
    const value = await spec.run(parsed.data, log);
    log.info('activity.succeeded', { durationMs: Date.now() - started });
    return { ok: true, value };
  } catch (thrown) {
    const error = withinPermissionGrace(
      thrown instanceof AppError
        ? thrown
        : new AppError('INTERNAL_ERROR', `${spec.name} failed unexpectedly: ${String(thrown)}`, {
            details: {
              error: thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown),
            },
            cause: thrown,
          }),
      () => getConfig().PERMISSION_GRACE_SECONDS,
    );
    const fields = {
      code: error.code,
      retriable: error.retriable,
      message: error.message,
      durationMs: Date.now() - started,
    };
    if (error.retriable) {
      log.warn('activity.retriableFailure', fields);
      throw new RetriableActivityError(error);
    }
    log.error('activity.failed', fields);
    return fail(error);
  }
}

function fail(error: AppError): { ok: false; error: ActivityFailure } {
  return { ok: false, error: { code: error.code, message: error.message, details: jsonSafe(error.details) } };
}

/** Details travel through Durable history as JSON: drop what JSON cannot carry. */
function jsonSafe(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(details, (_key, value: unknown) => (value instanceof Error ? value.message : value)),
  ) as Record<string, unknown>;
}

/** Whatever of the run's scope (instance id, VM) an input that failed validation still carries. */
function scopeOfInvalid<S extends z.ZodType>(spec: ActivitySpec<S, unknown>, input: unknown): LogFields {
  if (typeof input !== 'object' || input === null) return {};
  try {
    return spec.scope(input as z.output<S>);
  } catch {
    return { instanceId: (input as { instanceId?: unknown }).instanceId };
  }
}
