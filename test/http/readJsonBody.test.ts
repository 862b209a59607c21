import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { MAX_ALERT_BODY_BYTES, readJsonBody } from '../../src/http/readJsonBody';
import { refusal } from '../support/refusal';

function post(
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1:7071/api/alerts',
    headers,
    body: typeof body === 'string' ? { string: body } : { bytes: body },
  });
}

describe('readJsonBody', () => {
  it('parses a JSON body', async () => {
    expect(await readJsonBody(post('{"schemaId":"x","n":[1,2]}'))).toEqual({ schemaId: 'x', n: [1, 2] });
  });

  it.each([
    'application/json; charset=utf-8',
    'application/JSON;charset="UTF-8"',
    'text/json',
    'application/cloudevents+json',
  ])('accepts content type %s', async (type) => {
    expect(await readJsonBody(post('{"a":1}', { 'content-type': type }))).toEqual({ a: 1 });
  });

  it('tolerates a missing content type and a byte order mark', async () => {
    const request = post(new TextEncoder().encode('\uFEFF{"a":1}'), {});
    expect(request.headers.get('content-type')).toBeNull();
    expect(await readJsonBody(request)).toEqual({ a: 1 });
  });

  it('parses a text/plain body as JSON (what the worker reports for a body without a type)', async () => {
    const request = post('{"a":1}', {});
    expect(request.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(await readJsonBody(request)).toEqual({ a: 1 });
  });

  it.each([
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json; charset=latin1',
  ])('refuses content type %s with 415 naming the header', async (type) => {
    const error = await refusal(readJsonBody(post('{"a":1}', { 'content-type': type })));
    expect([error.code, error.status, error.details.field]).toEqual([
      'ALERT_UNSUPPORTED_MEDIA_TYPE',
      415,
      'content-type',
    ]);
  });

  it('accepts a body of exactly the limit and refuses one byte more with 413', async () => {
    const exact = `"${'a'.repeat(MAX_ALERT_BODY_BYTES - 2)}"`;
    expect(((await readJsonBody(post(exact))) as string).length).toBe(MAX_ALERT_BODY_BYTES - 2);
    const error = await refusal(readJsonBody(post(`${exact} `)));
    expect([error.code, error.status]).toEqual(['ALERT_BODY_TOO_LARGE', 413]);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const request = post('{}', {
      'content-type': 'application/json',
      'content-length': String(MAX_ALERT_BODY_BYTES + 1),
    });
    expect((await refusal(readJsonBody(request))).code).toBe('ALERT_BODY_TOO_LARGE');
    expect(request.bodyUsed).toBe(false);
  });

  it('counts bytes, not characters', async () => {
    const multiByte = `"${'é'.repeat(MAX_ALERT_BODY_BYTES / 2)}"`;
    expect((await refusal(readJsonBody(post(multiByte)))).code).toBe('ALERT_BODY_TOO_LARGE');
  });

  it('honours a smaller limit', async () => {
    expect((await refusal(readJsonBody(post('{"a":"0123456789"}'), { maxBytes: 10 }))).code).toBe(
      'ALERT_BODY_TOO_LARGE',
    );
  });

  it.each<[string, string | Uint8Array, RegExp]>([
    ['empty', '', /empty/],
    ['blank', '  \n', /empty/],
    ['truncated', '{"schemaId":', /not valid JSON/],
    ['not JSON', 'status=Activated', /not valid JSON/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /UTF-8/],
  ])('refuses a body that is %s with 400', async (_what, body, reason) => {
    const error = await refusal(readJsonBody(post(body)));
    expect([error.code, error.status, error.details.field]).toEqual(['ALERT_NOT_JSON', 400, '']);
    expect(error.message).toMatch(reason);
  });

  it('does not echo the body in the syntax error', async () => {
    const error = await refusal(readJsonBody(post('{"secret-looking-value": nope}')));
    expect(error.message).not.toContain('secret-looking-value');
  });

  it('refuses bad arguments', async () => {
    await expect(readJsonBody(post('{}'), { maxBytes: 0 })).rejects.toThrow(RangeError);
    const used = post('{}');
    await used.text();
    await expect(readJsonBody(used)).rejects.toThrow(TypeError);
  });
});
