import { ERROR_CATALOG, type ErrorCode } from './catalog';

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Overrides the catalogue, e.g. a throttled call that is retriable only after `retryAfterMs`. */
  retriable?: boolean;
}

/** An error with a catalogued code, a message a person can act on, and structured details. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? ERROR_CATALOG[code].retriable;
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}
