import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, useDevHost } from './support';

const MB = 1024 * 1024;

describe('dev host: an app with HTTP streams enabled', () => {
  const fixture = useDevHost({
    entry: join(__dirname, 'fixtures', 'streamingApp.ts'),
    maxRequestBodyBytes: 8 * MB,
  });
  const api = (path: string) => `${fixture.host.url}/api/${path}`;

  it('passes the request through the worker proxy: method, URL, parameters, headers, body', async () => {
    const response = await fetch(api('echo/post/more?q=1'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-custom': 'streamed' },
      body: 'hello',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Strict']);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${fixture.host.url}/api/echo/post/more?q=1`,
      params: { name: 'post', rest: 'more' },
      query: { q: '1' },
      contentType: 'text/plain',
      custom: 'streamed',
      body: 'hello',
      isHttpRequest: 'HttpRequest',
    });
  });

  it('streams a large upload to the function and a large download back', async () => {
    const upload = await fetch(api('upload'), { method: 'POST', body: Buffer.alloc(5 * MB, 'u') });
    const counted = (await upload.json()) as { bytes: number; chunks: number };
    expect(counted.bytes).toBe(5 * MB);
    expect(counted.chunks).toBeGreaterThan(1);
    const download = await fetch(api(`download/${3 * MB + 5}`));
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(3 * MB + 5);
  });

  it('keeps keys, 204, 500 and the body limit', async () => {
    expect((await fetch(api('secured'))).status).toBe(401);
    expect(
      (await fetch(api('secured'), { headers: { 'x-functions-key': fixture.host.functionKey } })).status,
    ).toBe(200);
    expect((await fetch(api('nothing'))).status).toBe(204);
    expect((await fetch(api('boom'))).status).toBe(500);
    expect((await fetch(api('upload'), { method: 'POST', body: Buffer.alloc(8 * MB + 1) })).status).toBe(413);
    expect((await fetch(api('items/latest'))).status).toBe(200);
  });

  it('gives a streaming starter its Durable client', async () => {
    const started = await fetch(api('orchestrations/timedProbe/streamed'), {
      method: 'POST',
      headers: { 'x-functions-key': fixture.host.functionKey },
      body: '{"seconds":0}',
    });
    expect(started.status).toBe(202);
    const { statusQueryGetUri } = (await started.json()) as { statusQueryGetUri: string };
    const done = await eventually(async () => {
      const status = (await (await fetch(statusQueryGetUri)).json()) as { runtimeStatus: string };
      return status.runtimeStatus === 'Completed' ? status : undefined;
    });
    expect(done).toMatchObject({
      output: { before: `before@${process.pid}`, after: `after@${process.pid}` },
    });
  });
});
