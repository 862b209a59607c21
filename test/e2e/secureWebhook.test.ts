import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_MONITOR_APP_ID } from '../../src/security/alertToken';
import { sampleAlert } from './support/alerts';
import { AppClient } from './support/appClient';
import { useAppHost } from './support/appHost';

const TENANT = '22222222-2222-2222-2222-222222222222';
const AUDIENCE = 'api://alert-capture-e2e';
const ROLE = 'ActionGroupsSecureWebhook';
const ISSUER = `https://sts.windows.net/${TENANT}/`;

// Microsoft Entra ID stand-in: one signing key published at /keys, answering 503 when told to.
let keys: Server;
let signingKey: CryptoKey;
let keysDown = false;
const settings: Record<string, string> = {
  SECURE_WEBHOOK_TENANT_ID: TENANT,
  SECURE_WEBHOOK_AUDIENCE: AUDIENCE,
  SECURE_WEBHOOK_ROLE: ROLE,
};

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'e2e-key', use: 'sig', alg: 'RS256' };
  keys = createServer((request, response) => {
    if (keysDown) response.writeHead(503).end();
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
  settings.SECURE_WEBHOOK_JWKS_URL = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/keys`;
});

afterAll(async () => {
  await new Promise((resolve) => keys.close(resolve));
});

// Registered after the key server's beforeAll, so the host starts with its URL in the settings.
const app = useAppHost({ label: 'e2e-secure', settings });
const client = new AppClient(() => app.host);
let vmId = '';

beforeAll(async () => {
  const [vm] = await app.stack.admin.upsertVms([
    { name: 'vm-secure', resourceGroup: 'rg-web', location: 'westeurope', privateIps: ['10.7.0.4'] },
  ]);
  vmId = vm!.id;
});

const bearer = async (role = ROLE): Promise<string> =>
  `Bearer ${await new SignJWT({ appid: AZURE_MONITOR_APP_ID, tid: TENANT, roles: [role] })
    .setProtectedHeader({ alg: 'RS256', kid: 'e2e-key' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signingKey)}`;

const alert = () =>
  sampleAlert('network-out-fired', {
    vmId,
    storageAccountId: app.stack.storageAccountId,
    timeLimitSeconds: 60,
  });

describe('POST /api/alerts with secure webhook on', () => {
  // First: the app has not fetched (and cached) the keys yet.
  it('answers 503 with Retry-After while the signing keys cannot be fetched, so Azure Monitor retries', async () => {
    keysDown = true;
    try {
      const answer = await client.postAlert(alert(), { headers: { authorization: await bearer() } });
      expect(answer).toMatchObject({ status: 503, body: { code: 'AUTH_KEYS_UNAVAILABLE' } });
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      keysDown = false;
    }
  });

  it('refuses a call without a token, or with a token lacking the role, with 401 and a Bearer challenge', async () => {
    const missing = await client.postAlert(alert());
    expect(missing).toMatchObject({
      status: 401,
      body: { code: 'AUTH_TOKEN_MISSING', field: 'authorization' },
    });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrongRole = await client.postAlert(alert(), { headers: { authorization: await bearer('Reader') } });
    expect(wrongRole).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    expect((await client.list({ vm: 'vm-secure' })).body.runs).toEqual([]);
  });

  it("starts the capture for a token of Azure Monitor's app with the role", async () => {
    const authorization = await bearer();
    const answer = await client.postAlert(alert(), { headers: { authorization } });
    expect(answer.status, answer.text).toBe(202);
    const view = await client.waitForEnd(String(answer.body.id));
    expect(view.outcome).toBe('succeeded');
    expect(app.logs.join('\n')).not.toContain(authorization.split('.')[2]);
  });
});
