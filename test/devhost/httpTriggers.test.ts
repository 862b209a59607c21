import { describe, expect, it } from 'vitest';
import { useDevHost } from './support';

describe('dev host: HTTP triggers', () => {
  const fixture = useDevHost({ maxRequestBodyBytes: 64 * 1024 });
  const api = (path: string) => `${fixture.host.url}/api/${path}`;

  describe('keys, like the Functions host', () => {
    it('answers 401 without a key, with a wrong key, and lets the function or master key in', async () => {
      const { functionKey, masterKey } = fixture.host;
      expect((await fetch(api('secured'))).status).toBe(401);
      expect((await fetch(api('secured?code=not-the-key'))).status).toBe(401);
      expect(
        (await fetch(api('secured'), { headers: { 'x-functions-key': `${functionKey}x` } })).status,
      ).toBe(401);
      const viaQuery = await fetch(api(`secured?code=${encodeURIComponent(functionKey)}`));
      expect([viaQuery.status, await viaQuery.text()]).toEqual([200, 'secured']);
      expect((await fetch(api('secured'), { headers: { 'x-functions-key': functionKey } })).status).toBe(200);
      expect((await fetch(api('secured'), { headers: { 'x-functions-key': masterKey } })).status).toBe(200);
    });

    it('keeps admin functions for the master key', async () => {
      const { functionKey, masterKey } = fixture.host;
      expect((await fetch(api('admin-only'), { headers: { 'x-functions-key': functionKey } })).status).toBe(
        401,
      );
      expect((await fetch(api('admin-only'), { headers: { 'x-functions-key': masterKey } })).status).toBe(
        200,
      );
    });

    it('serves anonymous functions without a key', async () => {
      expect((await fetch(api('items/latest'))).status).toBe(200);
    });

    it('guards the Durable webhooks with the system key (or master key), not the function key', async () => {
      const path = `${fixture.host.url}/runtime/webhooks/durabletask/instances/nobody`;
      expect((await fetch(path)).status).toBe(401);
      expect((await fetch(`${path}?code=${fixture.host.functionKey}`)).status).toBe(401);
      expect((await fetch(`${path}?code=${fixture.host.systemKey}`)).status).toBe(404);
      expect((await fetch(path, { headers: { 'x-functions-key': fixture.host.masterKey } })).status).toBe(
        404,
      );
    });
  });

  describe('routes', () => {
    it('fills route parameters, optional ones only when given', async () => {
      const withRest = (await (await fetch(api('echo/alpha/beta?x=1&x=2&y=3'))).json()) as Record<
        string,
        unknown
      >;
      expect(withRest).toMatchObject({
        params: { name: 'alpha', rest: 'beta' },
        query: { x: '1,2', y: '3' },
      });
      const without = (await (await fetch(api('echo/alpha'))).json()) as { params: Record<string, string> };
      expect(without.params).toEqual({ name: 'alpha' });
    });

    it('decodes parameters and matches literals case-insensitively', async () => {
      const body = (await (await fetch(api('ECHO/a%20b'))).json()) as { params: Record<string, string> };
      expect(body.params.name).toBe('a b');
    });

    it('prefers literal segments, applies constraints, and catches the rest of a path', async () => {
      expect(await (await fetch(api('items/latest'))).text()).toBe('latest');
      expect(await (await fetch(api('items/42'))).text()).toBe('id 42');
      expect((await fetch(api('items/forty-two'))).status).toBe(404);
      expect(await (await fetch(api('files/a/b/c.txt'))).text()).toBe('a/b/c.txt');
    });

    it('answers 404 for unknown paths, methods a function does not take, and paths outside the prefix', async () => {
      expect((await fetch(api('no-such-function'))).status).toBe(404);
      expect((await fetch(api('items/latest'), { method: 'DELETE' })).status).toBe(404);
      expect((await fetch(`${fixture.host.url}/echo/alpha`)).status).toBe(404);
    });

    it('lists the functions with their URLs', () => {
      expect(fixture.host.functions).toContainEqual({
        name: 'echo',
        methods: ['GET', 'POST', 'PUT'],
        authLevel: 'anonymous',
        url: `${fixture.host.url}/api/echo/{name}/{rest?}`,
      });
    });
  });

  describe('requests and responses through @azure/functions', () => {
    it('hands the trigger a real HttpRequest with the method, URL, headers and body', async () => {
      const response = await fetch(api('echo/post?q=1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-custom': 'hello' },
        body: JSON.stringify({ a: 'é' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        method: 'POST',
        url: `${fixture.host.url}/api/echo/post?q=1`,
        params: { name: 'post' },
        query: { q: '1' },
        contentType: 'application/json',
        custom: 'hello',
        body: '{"a":"é"}',
        isHttpRequest: 'HttpRequest',
      });
    });

    it('writes the status, headers and cookies the function answers', async () => {
      const response = await fetch(api('echo/x?status=201'));
      expect(response.status).toBe(201);
      expect(response.headers.get('x-echo')).toBe('yes');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Strict']);
    });

    it('answers 204 when the function returns nothing and 500 with no details when it throws', async () => {
      const nothing = await fetch(api('nothing'));
      expect([nothing.status, await nothing.text()]).toEqual([204, '']);
      const boom = await fetch(api('boom'));
      expect([boom.status, await boom.text()]).toEqual([500, '']);
    });

    it('refuses bodies over the limit with 413', async () => {
      const big = 'x'.repeat(64 * 1024 + 1);
      expect((await fetch(api('echo/big'), { method: 'POST', body: big })).status).toBe(413);
      const justRight = await fetch(api('echo/ok'), { method: 'POST', body: big.slice(1) });
      expect(((await justRight.json()) as { body: string }).body).toHaveLength(64 * 1024);
    });
  });
});
