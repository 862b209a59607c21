import { performance } from 'node:perf_hooks';
import { AppError } from '../errors/AppError';
import type { ErrorCode } from '../errors/catalog';

/** Refusals that a role assignment still propagating would also cause. */
const FORBIDDEN_CODES: ReadonlySet<ErrorCode> = new Set(['ARM_FORBIDDEN', 'STORAGE_FORBIDDEN']);

/** When this worker process started: Azure starts it when the app (re)starts or scales out. */
const PROCESS_STARTED_AT_MS = Math.round(performance.timeOrigin);

/**
 * A refusal within `graceSeconds` of the worker's start becomes PERMISSIONS_NOT_EFFECTIVE: right
 * after a deployment the app's role assignments may not be in effect yet (Azure RBAC documents up
 * to 10 minutes), so the step is worth trying again until the grace ends. Any other error, or a
 * refusal after the grace, is returned unchanged. The original code and the grace's end are kept
 * in the details, so that the run can wait for exactly that long and report what it met.
 */
export function withinPermissionGrace(
  error: AppError,
  graceSeconds: () => number,
  nowMs: number = Date.now(),
  startedAtMs: number = PROCESS_STARTED_AT_MS,
): AppError {
  if (!FORBIDDEN_CODES.has(error.code)) return error;
  const graceEndsAtMs = startedAtMs + graceSeconds() * 1000;
  if (nowMs >= graceEndsAtMs) return error;
  return new AppError(
    'PERMISSIONS_NOT_EFFECTIVE',
    `${error.message} The app started ${Math.round((nowMs - startedAtMs) / 1000)} s ago: its role assignments ` +
      'may not be in effect yet, so the step will be tried again until ' +
      `${new Date(graceEndsAtMs).toISOString()} (PERMISSION_GRACE_SECONDS).`,
    {
      details: {
        ...error.details,
        refusedWith: error.code,
        graceEndsAt: new Date(graceEndsAtMs).toISOString(),
      },
      cause: error,
    },
  );
}
