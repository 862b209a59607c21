import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AZURE_MONITOR_APP_ID } from '../../../src/security/alertToken';

const KEY_ID = 'logs-key';

/**
 * Microsoft Entra ID as the secure webhook sees it: one signing key published on 127.0.0.1, and
 * tokens of Azure Monitor's app signed with it.
 */
export class EntraStandIn {
  readonly tenantId = '33333333-3333-3333-3333-333333333333';
  readonly audience = 'api://alert-capture-logs';
  readonly role = 'ActionGroupsSecureWebhook';
  private server?: Server;
  private signingKey?: CryptoKey;

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KEY_ID, use: 'sig', alg: 'RS256' };
    this.server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** The app settings that turn the secure webhook on against this stand-in. */
  settings(): Record<string, string> {
    return {
      SECURE_WEBHOOK_TENANT_ID: this.tenantId,
      SECURE_WEBHOOK_AUDIENCE: this.audience,
      SECURE_WEBHOOK_ROLE: this.role,
      SECURE_WEBHOOK_JWKS_URL: `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/keys`,
    };
  }

  /** A bearer token an action group would send. */
  token(): Promise<string> {
    return new SignJWT({ appid: AZURE_MONITOR_APP_ID, tid: this.tenantId, roles: [this.role] })
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
      .setIssuer(`https://sts.windows.net/${this.tenantId}/`)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(this.signingKey!);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
