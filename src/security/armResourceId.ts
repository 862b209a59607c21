/**
 * Azure Resource Manager ids, in one place for the whole app.
 *
 * Ids from alert payloads, requests and settings are untrusted: `parseArmResourceId` and
 * `parseArmScope` accept an id only in the plain shape ARM itself produces, so that no spelling
 * (`..`, encoded separators, empty segments, odd characters) can make two different resources
 * compare equal or escape a scope. Ids that ARM returned, or that were parsed so already, are only
 * checked for their shape (`hasArmIdShape`) and split into the SDK's arguments (`splitResourceId`).
 */

/** A parsed `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]*` id. */
export interface ArmResourceId {
  subscriptionId: string;
  resourceGroup: string;
  /** Resource provider namespace as given, e.g. `Microsoft.Compute`. */
  namespace: string;
  /** Resource type segments from the outermost, e.g. `['virtualMachines']` or `['virtualMachines', 'extensions']`. */
  types: string[];
  names: string[];
  /** The id with ARM's keyword casing and a lower-case subscription; names keep the casing they came with. */
  canonical: string;
  /** `canonical` lower-cased (ASCII only): the form ids are compared in. */
  key: string;
}

/** A subscription or resource group scope, as used by the allow-list. */
export interface ArmScope {
  subscriptionId: string;
  resourceGroup?: string;
  canonical: string;
  key: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_ID_LENGTH = 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource group names: letters (any script), digits, `.`, `_`, `-`, `(`, `)`; not ending in `.`.
const RESOURCE_GROUP = /^[\p{L}\p{N}._()-]{1,90}$/u;
// Resource names are narrower in practice; this is the union ARM allows for the types we meet.
const RESOURCE_NAME = /^[\p{L}\p{N}._()-]{1,260}$/u;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
const TYPE = /^[A-Za-z][A-Za-z0-9]{0,127}$/;

/**
 * Lower-cases ASCII letters only. ARM compares names without regard to case, but full Unicode
 * case folding would let look-alikes (the Kelvin sign `K` folds to `k`) match an allowed name.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function checkName(kind: string, name: string, pattern: RegExp): string | undefined {
  if (!pattern.test(name)) return `${kind} "${name}" contains characters ARM does not allow`;
  if (name === '.' || name === '..' || name.endsWith('.'))
    return `${kind} "${name}" must not end with a period`;
  return undefined;
}

/** Splits an id into segments, refusing anything but plain `/`-separated, non-empty segments. */
function segmentsOf(text: string): ParseResult<string[]> {
  if (text.length === 0) return { ok: false, reason: 'the id is empty' };
  if (text.length > MAX_ID_LENGTH)
    return { ok: false, reason: `the id is longer than ${MAX_ID_LENGTH} characters` };
  if (!text.startsWith('/')) return { ok: false, reason: 'the id must start with /subscriptions/' };
  if (/[%\\?#\s]/u.test(text) || /\p{C}/u.test(text)) {
    return { ok: false, reason: 'the id contains an encoded, escaped, control or separator character' };
  }
  const segments = text.slice(1).split('/');
  if (segments.some((s) => s === '')) return { ok: false, reason: 'the id has an empty segment' };
  if (segments.some((s) => s === '.' || s === '..'))
    return { ok: false, reason: 'the id has a relative segment' };
  return { ok: true, value: segments };
}

function parseSubscriptionAndGroup(
  segments: string[],
): ParseResult<{ subscriptionId: string; resourceGroup?: string }> {
  const [subscriptions, subscriptionId, resourceGroups, resourceGroup] = segments;
  if (asciiLower(subscriptions ?? '') !== 'subscriptions' || subscriptionId === undefined) {
    return { ok: false, reason: 'the id must start with /subscriptions/{subscriptionId}' };
  }
  if (!GUID.test(subscriptionId)) return { ok: false, reason: 'the subscription id is not a GUID' };
  if (resourceGroups === undefined)
    return { ok: true, value: { subscriptionId: asciiLower(subscriptionId) } };
  if (asciiLower(resourceGroups) !== 'resourcegroups' || resourceGroup === undefined) {
    return { ok: false, reason: 'expected /resourceGroups/{name} after the subscription' };
  }
  const problem = checkName('resource group', resourceGroup, RESOURCE_GROUP);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: { subscriptionId: asciiLower(subscriptionId), resourceGroup } };
}

/** Parses the id of a resource inside a resource group; anything else is refused with a reason. */
export function parseArmResourceId(text: string): ParseResult<ArmResourceId> {
  const split = segmentsOf(text);
  if (!split.ok) return split;
  const segments = split.value;
  const head = parseSubscriptionAndGroup(segments);
  if (!head.ok) return head;
  const { subscriptionId, resourceGroup } = head.value;
  if (resourceGroup === undefined) return { ok: false, reason: 'the id names no resource group' };
  const [providers, namespace, ...rest] = segments.slice(4);
  if (providers === undefined || asciiLower(providers) !== 'providers' || namespace === undefined) {
    return { ok: false, reason: 'expected /providers/{namespace}/{type}/{name} after the resource group' };
  }
  if (!NAMESPACE.test(namespace))
    return { ok: false, reason: `"${namespace}" is not a resource provider namespace` };
  if (rest.length === 0 || rest.length % 2 !== 0) {
    return { ok: false, reason: 'the id must end with a {type}/{name} pair' };
  }
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const type = rest[i]!;
    const name = rest[i + 1]!;
    if (!TYPE.test(type)) return { ok: false, reason: `"${type}" is not a resource type` };
    const problem = checkName('resource name', name, RESOURCE_NAME);
    if (problem) return { ok: false, reason: problem };
    types.push(type);
    names.push(name);
  }
  const canonicalNamespace = canonicalNamespaces[asciiLower(namespace)] ?? namespace;
  const typePath = types.map((t, i) => `${canonicalTypes[asciiLower(t)] ?? t}/${names[i]}`).join('/');
  const canonical = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${canonicalNamespace}/${typePath}`;
  return {
    ok: true,
    value: { subscriptionId, resourceGroup, namespace, types, names, canonical, key: asciiLower(canonical) },
  };
}

/** Parses `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}`. */
export function parseArmScope(text: string): ParseResult<ArmScope> {
  const split = segmentsOf(text);
  if (!split.ok) return split;
  if (split.value.length !== 2 && split.value.length !== 4) {
    return {
      ok: false,
      reason: 'a scope is /subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}',
    };
  }
  const head = parseSubscriptionAndGroup(split.value);
  if (!head.ok) return head;
  const { subscriptionId, resourceGroup } = head.value;
  const canonical =
    resourceGroup === undefined
      ? `/subscriptions/${subscriptionId}`
      : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  return { ok: true, value: { subscriptionId, resourceGroup, canonical, key: asciiLower(canonical) } };
}

// Alerts send ids lower-cased; these restore ARM's spelling for the types this app names.
const canonicalNamespaces: Record<string, string> = {
  'microsoft.compute': 'Microsoft.Compute',
  'microsoft.network': 'Microsoft.Network',
  'microsoft.storage': 'Microsoft.Storage',
};
const canonicalTypes: Record<string, string> = {
  virtualmachines: 'virtualMachines',
  virtualmachinescalesets: 'virtualMachineScaleSets',
  networkwatchers: 'networkWatchers',
  storageaccounts: 'storageAccounts',
};

/** Whether the id names a resource of `namespace/type` (one level, compared without case). */
export function isResourceType(id: ArmResourceId, namespaceAndType: string): boolean {
  return asciiLower(`${id.namespace}/${id.types.join('/')}`) === asciiLower(namespaceAndType);
}

/** `Microsoft.Compute/virtualMachines`-style type of an id, for messages. */
export function resourceTypeOf(id: ArmResourceId): string {
  return `${id.namespace}/${id.types.join('/')}`;
}

// ---- Ids that ARM returned, or that were checked on their way in ----

/** The parts of an ARM resource id that the SDK operations take as arguments. */
export interface ResourceIdParts {
  subscriptionId: string;
  resourceGroup: string;
  provider: string;
  /** e.g. `virtualMachines`, or `networkWatchers/packetCaptures` for a child resource. */
  type: string;
  name: string;
  /** Names of the parent resources, outermost first (empty for a top-level resource). */
  parents: string[];
}

const ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/((?:[^/]+\/[^/]+\/)*)([^/]+)\/([^/]+)$/i;

/**
 * Splits an ARM resource id (any casing; alert payloads send them lower-cased) into the SDK's
 * arguments. Only the shape is checked: untrusted ids go through `parseArmResourceId` first.
 * @throws TypeError when `id` is not a resource id.
 */
export function splitResourceId(id: string): ResourceIdParts {
  const match = ID_PATTERN.exec(id.trim().replace(/\/+$/, ''));
  if (!match) throw new TypeError(`not an Azure resource id: ${JSON.stringify(id)}`);
  const [
    ,
    subscriptionId = '',
    resourceGroup = '',
    provider = '',
    parentPath = '',
    lastType = '',
    name = '',
  ] = match;
  const parentSegments = parentPath.split('/').filter(Boolean);
  const parentTypes: string[] = [];
  const parents: string[] = [];
  for (let i = 0; i < parentSegments.length; i += 2) {
    parentTypes.push(parentSegments[i]!);
    parents.push(decodeURIComponent(parentSegments[i + 1]!));
  }
  return {
    subscriptionId,
    resourceGroup: decodeURIComponent(resourceGroup),
    provider,
    type: [...parentTypes, lastType].join('/'),
    name: decodeURIComponent(name),
    parents,
  };
}

/** Splits `id` and checks its provider and type, case-insensitively. */
export function splitTypedResourceId(id: string, provider: string, type: string): ResourceIdParts {
  const parts = splitResourceId(id);
  if (
    parts.provider.toLowerCase() !== provider.toLowerCase() ||
    parts.type.toLowerCase() !== type.toLowerCase()
  ) {
    throw new TypeError(`not a ${provider}/${type} id: ${JSON.stringify(id)}`);
  }
  return parts;
}

/**
 * Whether `id` has the shape of the id of a top-level `namespace/type` resource (any casing): what
 * an activity checks of an id its orchestrator passes on.
 */
export function hasArmIdShape(id: string, namespaceAndType: string): boolean {
  const [namespace = '', type = ''] = namespaceAndType.split('/');
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/${literal(namespace)}/${literal(type)}/[^/]+$`,
    'i',
  ).test(id);
}

/** ARM ids compare case-insensitively. */
export function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.toLowerCase().replace(/\/+$/, '') === b.toLowerCase().replace(/\/+$/, '')
  );
}

/** The last segment of an id, however well formed: a VM's name before the VM has been read. */
export function lastSegment(id: string): string {
  const parts = String(id).split('/').filter(Boolean);
  return parts[parts.length - 1] ?? String(id);
}

/** Region names compare without case or spaces ("West Europe" is "westeurope"). */
export function sameLocation(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  return a !== undefined && b !== undefined && norm(a) === norm(b);
}
