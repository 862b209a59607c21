import type { ReportError } from '../../capture/report';
import { AppError } from '../../errors/AppError';
import { StepFailure } from './StepFailure';

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
