import { expect } from 'vitest';
import { AppError } from '../../src/errors/AppError';

/** Awaits a promise that must reject with an AppError, and returns that error. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
