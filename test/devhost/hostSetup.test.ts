import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHostSettings } from '../../local/devhost/hostJson';
import { isAuthorized, loadHostKeys } from '../../local/devhost/hostKeys';
import { matchRoute, parseRouteTemplate } from '../../local/devhost/routeTemplate';
import { timeScaleFromEnv } from '../../local/devhost';

const dir = mkdtempSync(join(tmpdir(), 'devhost-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host keys', () => {
  it('makes the keys file on first start (owner only) and keeps the same keys afterwards', () => {
    const path = join(dir, 'nested', 'host-keys.json');
    const first = loadHostKeys(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.masterKey).toMatch(/^[A-Za-z0-9_-]{50,}$/);
    expect(
      new Set([first.masterKey, first.functionKeys.default, first.systemKeys.durabletask_extension]).size,
    ).toBe(3);
    expect(loadHostKeys(path)).toEqual(first);
  });

  it('adds missing keys to a file that has some, and refuses a malformed file', () => {
    const partial = join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ masterKey: 'a-master-key-of-enough-length' }));
    const keys = loadHostKeys(partial);
    expect(keys.masterKey).toBe('a-master-key-of-enough-length');
    expect(JSON.parse(readFileSync(partial, 'utf8'))).toEqual(keys);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"masterKey": 42}');
    expect(() => loadHostKeys(broken)).toThrow(expect.objectContaining({ code: 'DEVHOST_SETUP_INVALID' }));
  });

  it('lets each level in with the right keys only', () => {
    const keys = loadHostKeys(join(dir, 'levels.json'));
    const fn = keys.functionKeys.default!;
    const system = keys.systemKeys.durabletask_extension!;
    expect(isAuthorized(keys, 'anonymous', undefined)).toBe(true);
    expect([undefined, '', 'nope', system].map((k) => isAuthorized(keys, 'function', k))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([fn, keys.masterKey].map((k) => isAuthorized(keys, 'function', k))).toEqual([true, true]);
    expect([fn, system, keys.masterKey].map((k) => isAuthorized(keys, 'admin', k))).toEqual([
      false,
      false,
      true,
    ]);
    expect([fn, system, keys.masterKey].map((k) => isAuthorized(keys, 'system', k))).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('host.json', () => {
  const hostJson = (content: unknown) => {
    const path = join(dir, `host-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it("reads the repository's host.json: prefix api, the hub from DURABLE_TASK_HUB, 10 activities at once", () => {
    const path = join(__dirname, '..', '..', 'host.json');
    expect(readHostSettings(path, { DURABLE_TASK_HUB: 'myhub' })).toEqual({
      routePrefix: 'api',
      taskHub: 'myhub',
      maxConcurrentActivityFunctions: 10,
    });
    // Unset, the app's own default for the setting applies.
    expect(readHostSettings(path, {}).taskHub).toBe('alertcapture');
  });

  it('applies the extension defaults and refuses what the host would refuse', () => {
    expect(readHostSettings(hostJson({ version: '2.0' }), {})).toMatchObject({
      routePrefix: 'api',
      taskHub: 'TestHubName',
    });
    expect(readHostSettings(hostJson({ extensions: { http: { routePrefix: '/' } } }), {}).routePrefix).toBe(
      '',
    );
    const refused = [
      hostJson({ extensions: { durableTask: { hubName: 'bad-name' } } }),
      hostJson({ extensions: { durableTask: { hubName: '%NOT_SET_ANYWHERE%' } } }),
      hostJson({ extensions: { durableTask: { maxConcurrentActivityFunctions: 0 } } }),
      join(dir, 'missing.json'),
    ];
    for (const path of refused) {
      expect(() => readHostSettings(path, {})).toThrow(
        expect.objectContaining({ code: 'DEVHOST_SETUP_INVALID' }),
      );
    }
  });
});

describe('route templates', () => {
  const match = (template: string, path: string) => matchRoute(parseRouteTemplate(template), path.split('/'));

  it('matches constraints, defaults and catch-all parameters', () => {
    expect(match('runs/{id:guid}', 'runs/3f2c8a1e-5b7d-4c9e-a0f1-6d2b9e47c815')).toEqual({
      id: '3f2c8a1e-5b7d-4c9e-a0f1-6d2b9e47c815',
    });
    expect(match('runs/{id:guid}', 'runs/nope')).toBeUndefined();
    expect(match('page/{n:int:range(1,10)}', 'page/11')).toBeUndefined();
    expect(match('page/{n:int:range(1,10)}', 'page/7')).toEqual({ n: '7' });
    expect(match('list/{order=asc}', 'list')).toEqual({ order: 'asc' });
    expect(match('a/{b}', 'a/b/c')).toBeUndefined();
  });

  it('refuses templates the dev host cannot serve as the host would', () => {
    for (const template of ['a/{*rest}/b', 'file.{ext}', 'x/{id:unknownconstraint}', 'a//b']) {
      expect(() => parseRouteTemplate(template)).toThrow(
        expect.objectContaining({ code: 'DEVHOST_SETUP_INVALID' }),
      );
    }
  });
});

describe('time scale', () => {
  it('reads DEVHOST_TIME_SCALE, then the older OFFLINE_CLOCK_FACTOR, and refuses nonsense', () => {
    expect(timeScaleFromEnv({})).toBe(1);
    expect(timeScaleFromEnv({ DEVHOST_TIME_SCALE: '60', OFFLINE_CLOCK_FACTOR: '5' })).toBe(60);
    expect(timeScaleFromEnv({ OFFLINE_CLOCK_FACTOR: '5' })).toBe(5);
    expect(() => timeScaleFromEnv({ DEVHOST_TIME_SCALE: '0' })).toThrow(RangeError);
    expect(() => timeScaleFromEnv({ DEVHOST_TIME_SCALE: 'fast' })).toThrow(/DEVHOST_TIME_SCALE/);
  });
});
