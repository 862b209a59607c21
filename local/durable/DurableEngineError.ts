import { LocalError, type LocalErrorOptions } from '../errors';

export type DurableEngineErrorCode =
  | 'DURABLE_FUNCTION_NOT_FOUND'
  | 'DURABLE_INSTANCE_ID_INVALID'
  | 'DURABLE_INSTANCE_NOT_FOUND'
  | 'DURABLE_INSTANCE_EXISTS'
  | 'DURABLE_INSTANCE_COMPLETED'
  | 'DURABLE_INSTANCE_STUCK';

/** A request to the local Durable engine that it refuses (unknown function or instance, wrong state). */
export class DurableEngineError extends LocalError<DurableEngineErrorCode> {
  override name = 'DurableEngineError';

  constructor(code: DurableEngineErrorCode, message: string, options: LocalErrorOptions = {}) {
    super(code, message, options);
  }
}
