import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-alert-capture-signature';

/** The signature header value for `body` sent at `timestampSeconds`. */
export function signBody(secret: string, body: string, timestampSeconds: number): string {
  if (!secret) throw new TypeError('secret must not be empty');
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export interface VerifyOptions {
  /** Reject signatures older (or newer) than this many seconds. Default 300. */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/**
 * Checks a signature header against the raw body, in constant time, within a replay window.
 * Receivers can use it as the reference implementation of docs/notifications.md.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  options: VerifyOptions = {},
): boolean {
  const { toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000) } = options;
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = signBody(secret, body, timestamp).split('v1=')[1]!;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
