import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DevHostError } from './DevHostError';

/** The keys the Functions host keeps for an app, as the dev host stores them (git-ignored file). */
export interface HostKeys {
  /** Admin key: passes every authorization level. */
  masterKey: string;
  /** Host-level function keys by name; `default` is the one printed at start. */
  functionKeys: Record<string, string>;
  /** Extension keys: `durabletask_extension` guards /runtime/webhooks/durabletask. */
  systemKeys: Record<string, string>;
}

export const DURABLE_SYSTEM_KEY = 'durabletask_extension';

/** Where a request can be let in: the trigger's authLevel, or the Durable extension's webhooks. */
export type AccessLevel = 'anonymous' | 'function' | 'admin' | 'system';

const newKey = (): string => randomBytes(40).toString('base64url');

/**
 * Loads the keys file, creating it (owner-only permissions) with fresh keys on first start and
 * adding any key it lacks, so that keys survive restarts as the Functions host's do.
 */
export function loadHostKeys(path: string): HostKeys {
  const stored = existsSync(path) ? parseKeysFile(path) : undefined;
  const keys: HostKeys = {
    masterKey: stored?.masterKey ?? newKey(),
    functionKeys: { default: newKey(), ...stored?.functionKeys },
    systemKeys: { [DURABLE_SYSTEM_KEY]: newKey(), ...stored?.systemKeys },
  };
  if (JSON.stringify(keys) !== JSON.stringify(stored)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return keys;
}

function parseKeysFile(path: string): HostKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw keysFileInvalid(path, 'it is not JSON', error);
  }
  const file = parsed as Partial<HostKeys> | null;
  const isKeyMap = (value: unknown): value is Record<string, string> =>
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((key) => typeof key === 'string' && key.length >= 16);
  if (
    typeof file !== 'object' ||
    file === null ||
    (file.masterKey !== undefined && (typeof file.masterKey !== 'string' || file.masterKey.length < 16)) ||
    (file.functionKeys !== undefined && !isKeyMap(file.functionKeys)) ||
    (file.systemKeys !== undefined && !isKeyMap(file.systemKeys))
  ) {
    throw keysFileInvalid(
      path,
      'expected { masterKey, functionKeys: { name: key }, systemKeys: { name: key } } with keys of 16+ characters',
    );
  }
  return file as HostKeys;
}

function keysFileInvalid(path: string, problem: string, cause?: unknown): DevHostError {
  return new DevHostError(
    'DEVHOST_SETUP_INVALID',
    `The keys file ${path} is invalid: ${problem}. Fix it, or delete it to have new keys made.`,
    { details: { path }, cause },
  );
}

/** Whether `presented` (from `?code=` or `x-functions-key`) opens `level`, like the Functions host. */
export function isAuthorized(keys: HostKeys, level: AccessLevel, presented: string | undefined): boolean {
  if (level === 'anonymous') return true;
  if (presented === undefined || presented === '') return false;
  const candidates = [keys.masterKey];
  if (level === 'function') candidates.push(...Object.values(keys.functionKeys));
  if (level === 'system') candidates.push(...Object.values(keys.systemKeys));
  // Checks every candidate so that the time taken does not tell which one came close.
  return candidates.reduce((found, key) => sameKey(key, presented) || found, false);
}

function sameKey(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
