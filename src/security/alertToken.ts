import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';
import type { Config } from '../config';
import { AppError } from '../errors/AppError';

/**
 * Application id of the "AZNS AAD Webhook" service principal that action groups use to call a
 * secure webhook. It is shared by every action group of the tenant, so a valid token proves
 * "an Azure Monitor action group of this tenant", not which rule fired: the allow-list still applies.
 */
export const AZURE_MONITOR_APP_ID = '461e8683-5575-4561-ac7f-899cc907d62a';

export interface AlertTokenOptions {
  tenantId: string;
  /** Expected `aud`: the Application ID URI or client id of the app registration. */
  audience: string | readonly string[];
  /** An app role the token must carry in `roles` (e.g. `ActionGroupsSecureWebhook`). */
  role?: string;
  /** Default: the tenant's Microsoft Entra signing keys. */
  jwksUrl?: string;
  /** Default: the tenant's v1 (`sts.windows.net`) and v2 (`login.microsoftonline.com/…/v2.0`) issuers. */
  issuers?: readonly string[];
  /** Expected `appid` (v1) or `azp` (v2) claim. Default: {@link AZURE_MONITOR_APP_ID}. */
  callerAppId?: string;
  /** Clock skew allowed on `exp`/`nbf`, in seconds (default 300, as Microsoft's libraries allow). */
  clockToleranceSeconds?: number;
}

/** What a verified token says about the caller. */
export interface AlertCaller {
  appId: string;
  tenantId: string;
  issuer: string;
  roles: string[];
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const keySets = new Map<string, RemoteJWKSet>();

/** The secure-webhook options the settings ask for, or undefined when secure webhook is off. */
export function alertTokenOptionsFromConfig(
  config: Pick<
    Config,
    | 'SECURE_WEBHOOK_TENANT_ID'
    | 'SECURE_WEBHOOK_AUDIENCE'
    | 'SECURE_WEBHOOK_ROLE'
    | 'SECURE_WEBHOOK_JWKS_URL'
    | 'SECURE_WEBHOOK_ISSUERS'
  >,
): AlertTokenOptions | undefined {
  if (!config.SECURE_WEBHOOK_TENANT_ID || !config.SECURE_WEBHOOK_AUDIENCE) return undefined;
  return {
    tenantId: config.SECURE_WEBHOOK_TENANT_ID,
    audience: config.SECURE_WEBHOOK_AUDIENCE,
    role: config.SECURE_WEBHOOK_ROLE,
    jwksUrl: config.SECURE_WEBHOOK_JWKS_URL,
    issuers: config.SECURE_WEBHOOK_ISSUERS,
  };
}

/**
 * Verifies the Microsoft Entra token an action group's secure webhook sends: RS256 signature
 * against the tenant's published keys, issuer, audience, expiry, tenant, Azure Monitor's app id
 * and (when configured) the app role.
 * @throws AppError AUTH_TOKEN_MISSING / AUTH_TOKEN_INVALID (401) or AUTH_KEYS_UNAVAILABLE (503, retriable).
 */
export async function verifyAlertToken(
  authorizationHeader: string | null | undefined,
  options: AlertTokenOptions,
): Promise<AlertCaller> {
  const token = bearerToken(authorizationHeader);
  const issuers = options.issuers ?? [
    `https://sts.windows.net/${options.tenantId}/`,
    `https://login.microsoftonline.com/${options.tenantId}/v2.0`,
  ];
  const jwksUrl =
    options.jwksUrl ?? `https://login.microsoftonline.com/${options.tenantId}/discovery/v2.0/keys`;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyResolver(jwksUrl), {
      algorithms: ['RS256'],
      issuer: [...issuers],
      audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
      clockTolerance: options.clockToleranceSeconds ?? 300,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    throw verificationError(error);
  }
  return checkCaller(payload, options);
}

function bearerToken(header: string | null | undefined): string {
  if (header === null || header === undefined || header.trim() === '') {
    throw new AppError(
      'AUTH_TOKEN_MISSING',
      'Secure webhook is on: send an "Authorization: Bearer <token>" header.',
      {
        details: { field: 'authorization' },
      },
    );
  }
  const match = /^Bearer[ \t]+([A-Za-z0-9_.-]+)[ \t]*$/i.exec(header);
  if (!match || match[1]!.length > MAX_TOKEN_LENGTH) {
    throw invalid('the Authorization header is not "Bearer <JWT>"');
  }
  return match[1]!;
}

/** Key resolution errors that mean "this token's key is not published", not "keys unavailable". */
class UnknownSigningKey extends Error {
  override name = 'UnknownSigningKey';
}

class SigningKeysUnavailable extends Error {
  override name = 'SigningKeysUnavailable';
}

function keyResolver(jwksUrl: string): JWTVerifyGetKey {
  let keySet = keySets.get(jwksUrl);
  if (keySet === undefined) {
    keySet = createRemoteJWKSet(new URL(jwksUrl));
    keySets.set(jwksUrl, keySet);
  }
  const resolve = keySet;
  return async (header, token) => {
    try {
      return await resolve(header, token);
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSNoMatchingKey ||
        error instanceof joseErrors.JWKSMultipleMatchingKeys
      ) {
        throw new UnknownSigningKey('the token is not signed by a published key', { cause: error });
      }
      throw new SigningKeysUnavailable('the signing keys could not be fetched', { cause: error });
    }
  };
}

function verificationError(error: unknown): AppError {
  if (error instanceof SigningKeysUnavailable) {
    return new AppError(
      'AUTH_KEYS_UNAVAILABLE',
      'The token signing keys could not be fetched from Microsoft Entra ID; retry later.',
      { details: { field: 'authorization' }, cause: error.cause },
    );
  }
  if (error instanceof UnknownSigningKey) return invalid(error.message, error);
  if (error instanceof joseErrors.JWTExpired) return invalid('the token has expired', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return invalid(
      `the "${error.claim}" claim ${error.reason === 'missing' ? 'is missing' : 'is not accepted'}`,
      error,
    );
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return invalid('the signature does not verify', error);
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return invalid('the token is not signed with RS256', error);
  if (error instanceof joseErrors.JOSEError) return invalid('the token is malformed', error);
  return invalid('the token could not be verified', error);
}

function checkCaller(payload: JWTPayload, options: AlertTokenOptions): AlertCaller {
  const tenantId = payload.tid;
  if (typeof tenantId !== 'string' || tenantId.toLowerCase() !== options.tenantId.toLowerCase()) {
    throw invalid('the "tid" claim is not the configured tenant');
  }
  const appId = typeof payload.appid === 'string' ? payload.appid : payload.azp;
  const expectedAppId = options.callerAppId ?? AZURE_MONITOR_APP_ID;
  if (typeof appId !== 'string' || appId.toLowerCase() !== expectedAppId.toLowerCase()) {
    throw invalid('the caller ("appid"/"azp") is not Azure Monitor action groups');
  }
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((r): r is string => typeof r === 'string')
    : [];
  if (options.role !== undefined && !roles.includes(options.role)) {
    throw invalid(`the token lacks the "${options.role}" role`);
  }
  return { appId, tenantId, issuer: String(payload.iss), roles };
}

function invalid(reason: string, cause?: unknown): AppError {
  return new AppError('AUTH_TOKEN_INVALID', `The bearer token was refused: ${reason}.`, {
    details: { field: 'authorization', reason },
    cause,
  });
}
