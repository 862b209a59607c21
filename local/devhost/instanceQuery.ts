import type { InstanceStatus } from '../durable';
import { dateParameter, integerParameter, runtimeStatusParameter } from './apiMessages';

// The extension's page size when the query names none (`top`).
const DEFAULT_PAGE_SIZE = 100;

/**
 * The instances a status query selects: `instanceIdPrefix`, `createdTimeFrom`/`createdTimeTo`,
 * `runtimeStatus`; sorted by instance id, the order continuation tokens follow.
 */
export function matchingInstances(all: InstanceStatus[], query: URLSearchParams): InstanceStatus[] {
  const prefix = query.get('instanceIdPrefix') ?? '';
  const from = dateParameter(query, 'createdTimeFrom');
  const to = dateParameter(query, 'createdTimeTo');
  const statuses = runtimeStatusParameter(query);
  return all
    .filter((s) => s.instanceId.startsWith(prefix))
    .filter((s) => !from || new Date(s.createdTime) >= from)
    .filter((s) => !to || new Date(s.createdTime) <= to)
    .filter((s) => !statuses || statuses.has(s.runtimeStatus))
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}

/**
 * One page of a status query (`top` per page) after the page the continuation token ends; the
 * token of the next page is the last instance id of this one (opaque to clients).
 */
export function instancePage(
  all: InstanceStatus[],
  request: { query: URLSearchParams; continuationToken: string | undefined },
): { page: InstanceStatus[]; continuationToken?: string } {
  const matching = matchingInstances(all, request.query);
  const pageSize = Math.max(1, integerParameter(request.query, 'top') ?? DEFAULT_PAGE_SIZE);
  const after = request.continuationToken
    ? Buffer.from(request.continuationToken, 'base64url').toString('utf8')
    : undefined;
  const remaining = after === undefined ? matching : matching.filter((s) => s.instanceId > after);
  const page = remaining.slice(0, pageSize);
  if (remaining.length <= page.length) return { page };
  return { page, continuationToken: Buffer.from(page.at(-1)!.instanceId).toString('base64url') };
}
