import { AppError, type AppErrorOptions } from '../../src/errors/AppError';
import type { ErrorCode } from '../../src/errors/catalog';

export type DevHostErrorCode = Extract<
  ErrorCode,
  'DEVHOST_SETUP_INVALID' | 'DEVHOST_ALREADY_RUNNING' | 'DEVHOST_STATE_TOO_LARGE' | 'DEVHOST_STATE_CORRUPT'
>;

/** The dev host cannot start, or cannot keep an instance in its task hub tables. */
export class DevHostError extends AppError {
  override name = 'DevHostError';

  constructor(code: DevHostErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
