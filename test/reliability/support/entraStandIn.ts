import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { AZURE_MONITOR_APP_ID } from '../../../src/security/alertToken';

export const TENANT = '22222222-2222-2222-2222-222222222222';
export const AUDIENCE = 'api://alert-capture-reliability';
export const ROLE = 'ActionGroupsSecureWebhook';
export const ISSUER = `https://sts.windows.net/${TENANT}/`;
const KID = 'published-key';

export interface TokenOptions {
  claims?: JWTPayload;
  /** Claims to drop from the default set. */
  without?: string[];
  /** Signs with a key that is not published (same kid). */
  unpublishedKey?: boolean;
  kid?: string;
  /** Seconds from now; negative means already expired. */
  expiresIn?: number;
  notBeforeIn?: number;
}

/**
 * Microsoft Entra ID as the secure webhook sees it: a JWKS endpoint publishing one RS256 key, and
 * a token factory for the action group's tokens (and every way to get one wrong).
 */
export class EntraStandIn {
  private server: Server | undefined;
  private signing: CryptoKey | undefined;
  private other: CryptoKey | undefined;
  private publicJwk: JWK | undefined;
  jwksUrl = '';

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.signing = pair.privateKey;
    this.other = (await generateKeyPair('RS256', { extractable: true })).privateKey;
    this.publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
    const body = JSON.stringify({ keys: [this.publicJwk] });
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/keys`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The claims an action group's token carries. */
  defaultClaims(): JWTPayload {
    return { appid: AZURE_MONITOR_APP_ID, tid: TENANT, roles: [ROLE], iss: ISSUER, aud: AUDIENCE };
  }

  async token(options: TokenOptions = {}): Promise<string> {
    const claims: JWTPayload = { ...this.defaultClaims(), ...options.claims };
    for (const name of options.without ?? []) delete claims[name];
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID, typ: 'JWT' })
      .setIssuedAt();
    if (!options.without?.includes('exp')) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 600));
    if (options.notBeforeIn !== undefined) jwt = jwt.setNotBefore(now + options.notBeforeIn);
    return jwt.sign(options.unpublishedKey ? this.other! : this.signing!);
  }

  /** `alg: none`: no signature at all. */
  unsigned(): string {
    return new UnsecuredJWT(this.defaultClaims()).setExpirationTime('10m').encode();
  }

  /** HS256 keyed with the published public key: the classic algorithm confusion. */
  async confusedAlgorithm(): Promise<string> {
    const secret = new TextEncoder().encode(JSON.stringify(this.publicJwk));
    return new SignJWT(this.defaultClaims())
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setExpirationTime('10m')
      .sign(secret);
  }

  /** A valid token whose payload was changed after signing. */
  async tampered(): Promise<string> {
    const [header, , signature] = (await this.token({ claims: { roles: ['Reader'] } })).split('.');
    const payload = Buffer.from(JSON.stringify(this.defaultClaims())).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }
}
