import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/AppError';
import { ERROR_CATALOG } from '../../src/errors/catalog';
import {
  problemFromError,
  problemFromUnknown,
  problemResponse,
  problemTypeFor,
} from '../../src/http/problem';

describe('problem+json', () => {
  it('builds an RFC 9457 document from a catalogued error, with field and errors', () => {
    const error = new AppError('CAPTURE_OPTION_INVALID', 'Invalid capture options.', {
      details: {
        field: '/data/customProperties/captureTimeLimitSeconds',
        errors: [{ field: '/a', detail: 'bad' }],
      },
    });
    expect(problemFromError(error, { instance: 'capture-vm-1' })).toEqual({
      type: 'urn:alert-capture:error:CAPTURE_OPTION_INVALID',
      title: ERROR_CATALOG.CAPTURE_OPTION_INVALID.title,
      status: 400,
      detail: 'Invalid capture options.',
      code: 'CAPTURE_OPTION_INVALID',
      field: '/data/customProperties/captureTimeLimitSeconds',
      errors: [{ field: '/a', detail: 'bad' }],
      instance: 'capture-vm-1',
    });
  });

  it('leaves out members that are not set or not well-formed', () => {
    const problem = problemFromError(
      new AppError('ALERT_NOT_JSON', 'x', { details: { errors: ['not an item'] } }),
    );
    expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  });

  it('hides the message of an unexpected error behind INTERNAL_ERROR', () => {
    const problem = problemFromUnknown(new Error('connection string AccountKey=abc'));
    expect(problem.code).toBe('INTERNAL_ERROR');
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('AccountKey');
  });

  it('gives every code a distinct, stable type URI', () => {
    const types = Object.keys(ERROR_CATALOG).map((code) =>
      problemTypeFor(code as keyof typeof ERROR_CATALOG),
    );
    expect(new Set(types).size).toBe(types.length);
  });

  it('answers with application/problem+json, a challenge on 401 and Retry-After on request', () => {
    const unauthorized = problemResponse(problemFromError(new AppError('AUTH_TOKEN_MISSING', 'no token')));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer error="invalid_token"',
    });
    expect(JSON.parse(unauthorized.body as string)).toMatchObject({
      code: 'AUTH_TOKEN_MISSING',
      status: 401,
    });

    const unavailable = problemResponse(problemFromError(new AppError('AUTH_KEYS_UNAVAILABLE', 'keys')), {
      retryAfterSeconds: 5,
    });
    expect(unavailable.headers).toMatchObject({ 'retry-after': '5' });
    expect(unavailable.headers).not.toHaveProperty('www-authenticate');
    expect(() => problemResponse(problemFromUnknown(new Error()), { retryAfterSeconds: -1 })).toThrow(
      RangeError,
    );
  });
});
