/** The parts of an ARM resource id that the SDK operations take as arguments. */
export interface ResourceId {
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
 * Parses an ARM resource id (any casing; alert payloads send them lower-cased).
 * @throws TypeError when `id` is not a resource id.
 */
export function parseResourceId(id: string): ResourceId {
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

/** Parses `id` and checks its provider and type, case-insensitively. */
export function parseTypedResourceId(id: string, provider: string, type: string): ResourceId {
  const parsed = parseResourceId(id);
  if (
    parsed.provider.toLowerCase() !== provider.toLowerCase() ||
    parsed.type.toLowerCase() !== type.toLowerCase()
  ) {
    throw new TypeError(`not a ${provider}/${type} id: ${JSON.stringify(id)}`);
  }
  return parsed;
}

/** ARM ids compare case-insensitively. */
export function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.toLowerCase().replace(/\/+$/, '') === b.toLowerCase().replace(/\/+$/, '')
  );
}

/** Region names compare without case or spaces ("West Europe" is "westeurope"). */
export function sameLocation(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  return a !== undefined && b !== undefined && norm(a) === norm(b);
}
