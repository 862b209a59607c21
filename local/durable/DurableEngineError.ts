import { AppError, type AppErrorOptions } from '../../src/errors/AppError';
import type { ErrorCode } from '../../src/errors/catalog';

export type DurableEngineErrorCode = Extract<
  ErrorCode,
  | 'DURABLE_FUNCTION_NOT_FOUND'
  | 'DURABLE_INSTANCE_ID_INVALID'
  | 'DURABLE_INSTANCE_NOT_FOUND'
  | 'DURABLE_INSTANCE_EXISTS'
  | 'DURABLE_INSTANCE_COMPLETED'
  | 'DURABLE_INSTANCE_STUCK'
>;

/** A request to the local Durable engine that it refuses (unknown function or instance, wrong state). */
export class DurableEngineError extends AppError {
  override name = 'DurableEngineError';

  constructor(code: DurableEngineErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
