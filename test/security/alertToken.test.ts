import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import {
  alertTokenOptionsFromConfig,
  AZURE_MONITOR_APP_ID,
  verifyAlertToken,
  type AlertTokenOptions,
} from '../../src/security/alertToken';
import { refusal } from '../support/refusal';

const TENANT = '22222222-2222-2222-2222-222222222222';
const AUDIENCE = 'api://alert-capture';
const ROLE = 'ActionGroupsSecureWebhook';
const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;
const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let server: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwksRequests = 0;

beforeAll(async () => {
  const published = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  signingKey = published.privateKey;
  strangerKey = stranger.privateKey;
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'published-key', use: 'sig', alg: 'RS256' };
  server = createServer((request, response) => {
    jwksRequests += 1;
    if (request.url !== '/keys') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function options(overrides: Partial<AlertTokenOptions> = {}): AlertTokenOptions {
  return { tenantId: TENANT, audience: AUDIENCE, role: ROLE, jwksUrl, ...overrides };
}

/** A token shaped like the app-only v1 token an action group's secure webhook sends. */
async function token(
  claims: JWTPayload = {},
  {
    key = signingKey,
    kid = 'published-key',
    expiresIn = '1h',
  }: { key?: CryptoKey; kid?: string; expiresIn?: string } = {},
): Promise<string> {
  const defaults = {
    iss: V1_ISSUER,
    aud: AUDIENCE,
    tid: TENANT,
    appid: AZURE_MONITOR_APP_ID,
    roles: [ROLE],
    ver: '1.0',
  };
  return new SignJWT({ ...defaults, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(expiresIn)
    .sign(key);
}

describe('verifyAlertToken', () => {
  it('accepts a v1 token from Azure Monitor with the role', async () => {
    const caller = await verifyAlertToken(`Bearer ${await token()}`, options());
    expect(caller).toEqual({
      appId: AZURE_MONITOR_APP_ID,
      tenantId: TENANT,
      issuer: V1_ISSUER,
      roles: [ROLE],
    });
  });

  it('accepts a v2 token that names the caller in azp', async () => {
    const v2 = await token({ iss: V2_ISSUER, appid: undefined, azp: AZURE_MONITOR_APP_ID, ver: '2.0' });
    const caller = await verifyAlertToken(`bearer ${v2}`, options());
    expect(caller.issuer).toBe(V2_ISSUER);
  });

  it('accepts any role when none is configured', async () => {
    const caller = await verifyAlertToken(
      `Bearer ${await token({ roles: undefined })}`,
      options({ role: undefined }),
    );
    expect(caller.roles).toEqual([]);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['wrong audience', () => token({ aud: 'api://someone-else' }), /"aud" claim/],
    [
      'wrong issuer',
      () => token({ iss: 'https://sts.windows.net/33333333-3333-3333-3333-333333333333/' }),
      /"iss" claim/,
    ],
    ['wrong tenant', () => token({ tid: '33333333-3333-3333-3333-333333333333' }), /"tid"/],
    [
      'another application',
      () => token({ appid: '11111111-1111-1111-1111-111111111111' }),
      /not Azure Monitor/,
    ],
    ['no caller application', () => token({ appid: undefined }), /not Azure Monitor/],
    ['missing role', () => token({ roles: ['SomethingElse'] }), /lacks the "ActionGroupsSecureWebhook" role/],
    ['expired', () => token({}, { expiresIn: '-10m' }), /expired/],
    ['unknown signing key', () => token({}, { key: strangerKey, kid: 'stranger' }), /published key/],
    ['forged signature', () => token({}, { key: strangerKey }), /signature/],
  ])('refuses a token with %s', async (_what, make, reason) => {
    const error = await refusal(verifyAlertToken(`Bearer ${await make()}`, options()));
    expect(error.code).toBe('AUTH_TOKEN_INVALID');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(reason);
    expect(error.details.field).toBe('authorization');
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({
        iss: V1_ISSUER,
        aud: AUDIENCE,
        tid: TENANT,
        appid: AZURE_MONITOR_APP_ID,
        roles: [ROLE],
        exp: 9e9,
      }),
    ).toString('base64url');
    const error = await refusal(verifyAlertToken(`Bearer ${header}.${body}.`, options()));
    expect(error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses a missing header as AUTH_TOKEN_MISSING and other schemes as invalid', async () => {
    expect((await refusal(verifyAlertToken(undefined, options()))).code).toBe('AUTH_TOKEN_MISSING');
    expect((await refusal(verifyAlertToken('  ', options()))).code).toBe('AUTH_TOKEN_MISSING');
    expect((await refusal(verifyAlertToken(`Basic ${await token()}`, options()))).code).toBe(
      'AUTH_TOKEN_INVALID',
    );
    expect((await refusal(verifyAlertToken('Bearer not a jwt', options()))).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('never puts the token in the error', async () => {
    const expired = await token({}, { expiresIn: '-10m' });
    const error = await refusal(verifyAlertToken(`Bearer ${expired}`, options()));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      expired.split('.')[2],
    );
  });

  it('answers 503 (retriable) when the signing keys cannot be fetched', async () => {
    const down = `http://127.0.0.1:${(server.address() as AddressInfo).port}/missing-keys`;
    const error = await refusal(verifyAlertToken(`Bearer ${await token()}`, options({ jwksUrl: down })));
    expect(error.code).toBe('AUTH_KEYS_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.retriable).toBe(true);
  });

  it('fetches the key set once and reuses it', async () => {
    await verifyAlertToken(`Bearer ${await token()}`, options());
    const before = jwksRequests;
    await verifyAlertToken(`Bearer ${await token()}`, options());
    await verifyAlertToken(`Bearer ${await token()}`, options());
    expect(jwksRequests).toBe(before);
  });
});

describe('alertTokenOptionsFromConfig', () => {
  const base = {
    ALLOWED_SCOPES: '/subscriptions/00000000-0000-0000-0000-000000000000',
    CAPTURE_STORAGE_ACCOUNT_ID:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcaptures',
  };

  it('is off unless tenant and audience are set', () => {
    expect(alertTokenOptionsFromConfig(loadConfig(base))).toBeUndefined();
  });

  it('takes the tenant, audience, role, JWKS URL and issuers from the settings', () => {
    const config = loadConfig({
      ...base,
      SECURE_WEBHOOK_TENANT_ID: TENANT,
      SECURE_WEBHOOK_AUDIENCE: AUDIENCE,
      SECURE_WEBHOOK_ROLE: ROLE,
      SECURE_WEBHOOK_JWKS_URL: 'http://127.0.0.1:9999/keys',
      SECURE_WEBHOOK_ISSUERS: `${V1_ISSUER}, ${V2_ISSUER}`,
    });
    expect(alertTokenOptionsFromConfig(config)).toEqual({
      tenantId: TENANT,
      audience: AUDIENCE,
      role: ROLE,
      jwksUrl: 'http://127.0.0.1:9999/keys',
      issuers: [V1_ISSUER, V2_ISSUER],
    });
  });

  it('refuses a plain-http JWKS URL that is not loopback', () => {
    expect(() => loadConfig({ ...base, SECURE_WEBHOOK_JWKS_URL: 'http://keys.example.com/keys' })).toThrow(
      /SECURE_WEBHOOK_JWKS_URL/,
    );
  });
});
