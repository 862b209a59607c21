import { LocalError, type LocalErrorOptions } from '../errors';

export type DevHostErrorCode =
  'DEVHOST_SETUP_INVALID' | 'DEVHOST_ALREADY_RUNNING' | 'DEVHOST_STATE_TOO_LARGE' | 'DEVHOST_STATE_CORRUPT';

/** The dev host cannot start, or cannot keep an instance in its task hub tables. */
export class DevHostError extends LocalError<DevHostErrorCode> {
  override name = 'DevHostError';

  constructor(code: DevHostErrorCode, message: string, options: LocalErrorOptions = {}) {
    super(code, message, options);
  }
}
