import { AppError } from '../../errors/AppError';
import type { ErrorCode } from '../../errors/catalog';

export interface StepFailureOptions {
  /** The activity (or orchestration step) that failed. */
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
