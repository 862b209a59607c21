import { ArmError } from './armError';
import { guidFrom } from './inventory';

/** What the emulator knows of the caller's role assignments. */
export interface AuthorizationModel {
  /** Scopes on which the caller holds no role (resource group ids, or any resource ids). */
  forbiddenScopes: readonly string[];
  /** Emulated ms before which every request is refused: assignments still propagating. */
  effectiveFromMs: number;
  nowMs: number;
}

/** The object id the 403 message names: the emulator does not know the caller's real one. */
const CALLER_OBJECT_ID = guidFrom('alert-capture emulated caller');

/**
 * Refuses a request the caller's role assignments do not cover, with Azure Resource Manager's
 * answer: 403 `AuthorizationFailed` naming the action and the scope ("does not have authorization
 * to perform action '…' over scope '…'"). Both causes the emulator models end in that answer on
 * Azure: a resource in a group the app holds no role on (a NIC in a shared network group), and an
 * assignment made minutes ago (Azure RBAC documents up to 10 minutes before one takes effect).
 */
export function checkAuthorization(model: AuthorizationModel, method: string, path: string): void {
  const propagating = model.nowMs < model.effectiveFromMs;
  if (!propagating && !model.forbiddenScopes.some((scope) => isUnder(path, scope))) return;
  throw new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${CALLER_OBJECT_ID}' with object id '${CALLER_OBJECT_ID}' does not have authorization to ` +
      `perform action '${armAction(method, path)}' over scope '${scopeOf(method, path)}' or the scope is invalid. ` +
      'If access was recently granted, please refresh your credentials.',
  );
}

function isUnder(path: string, scope: string): boolean {
  const p = path.toLowerCase();
  const s = scope.toLowerCase().replace(/\/+$/, '');
  return s !== '' && (p === s || p.startsWith(`${s}/`));
}

/** The resource the request addresses: the path without a trailing action segment. */
function scopeOf(method: string, path: string): string {
  return parseProviderPath(method, path).action ? path.slice(0, path.lastIndexOf('/')) : path;
}

/**
 * The ARM action of a request, as role definitions name it: `{provider}/{type}[/{child}]/read`,
 * `/write`, `/delete`, or `/{verb}/action` for a POST on a resource.
 */
export function armAction(method: string, path: string): string {
  const { provider, types, action } = parseProviderPath(method, path);
  const resource = [provider, ...types].join('/');
  if (action) return `${resource}/${action}/action`;
  const verb = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'write';
  return `${resource}/${verb}`;
}

function parseProviderPath(
  method: string,
  path: string,
): { provider: string; types: string[]; action?: string } {
  const segments = path.split('/').filter(Boolean);
  const at = segments.findIndex((s) => s.toLowerCase() === 'providers');
  if (at < 0) return { provider: 'Microsoft.Resources', types: ['subscriptions'] };
  const [provider = '', ...rest] = segments.slice(at + 1);
  const types = rest.filter((_, i) => i % 2 === 0);
  // A POST on a named resource names its action last (…/packetCaptures/{name}/stop).
  const action = method === 'POST' && rest.length % 2 === 1 && rest.length > 1 ? types.pop() : undefined;
  return { provider, types, action };
}
