import type { InvocationContext } from '@azure/functions';
import type { RawRunStatus } from './runView';

/** A status query the Durable extension answers page by page. */
export interface RunPageQuery {
  instanceIdPrefix: string;
  createdTimeFrom?: Date;
  runtimeStatus?: readonly string[];
  /** Instances per page (`top`). */
  pageSize: number;
}

/** What the Durable extension hands a function with a durable client input (the part used here). */
interface DurableClientData {
  rpcBaseUrl?: string;
  managementUrls: { id: string; statusQueryGetUri: string };
}

const CONTINUATION_HEADER = 'x-ms-continuation-token';
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The instances matching `query`, one page per request, fetched only as the caller iterates. The
 * SDK's `getStatusBy` can filter neither by instance id prefix nor by page, and reads every page
 * into memory before it returns; the extension's HTTP API does both (`instanceIdPrefix`, `top`
 * and the continuation token header), so a caller that has enough simply stops iterating.
 * @throws Error when the extension does not answer 200; the caller classifies it.
 */
export async function* runPages(
  context: InvocationContext,
  query: RunPageQuery,
): AsyncGenerator<RawRunStatus[], void, undefined> {
  const url = queryUrl(clientDataOf(context), query);
  let continuation: string | undefined;
  do {
    const response = await fetch(url, {
      headers: continuation ? { [CONTINUATION_HEADER]: continuation } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status !== 200) {
      throw new Error(`The Durable extension answered the instance query with HTTP ${response.status}.`);
    }
    yield (await response.json()) as RawRunStatus[];
    continuation = response.headers.get(CONTINUATION_HEADER) ?? undefined;
  } while (continuation);
}

function clientDataOf(context: InvocationContext): DurableClientData {
  const input = context.options.extraInputs.find(
    (i) => i.type === 'durableClient' || i.type === 'orchestrationClient',
  );
  const data = input && (context.extraInputs.get(input) as DurableClientData | undefined);
  if (!data?.managementUrls) {
    throw new TypeError(
      'the function has no durable client input: register it with df.input.durableClient()',
    );
  }
  return data;
}

/** The same endpoint the SDK would call: the extension's local RPC address, else the public one. */
function queryUrl(data: DurableClientData, query: RunPageQuery): string {
  const parameters = new URLSearchParams({
    instanceIdPrefix: query.instanceIdPrefix,
    top: String(query.pageSize),
    showInput: 'true',
  });
  if (query.createdTimeFrom) parameters.set('createdTimeFrom', query.createdTimeFrom.toISOString());
  if (query.runtimeStatus?.length) parameters.set('runtimeStatus', query.runtimeStatus.join(','));
  if (data.rpcBaseUrl) return `${new URL('instances/', data.rpcBaseUrl).href}?${parameters}`;
  const publicUrl = new URL(data.managementUrls.statusQueryGetUri.replace(data.managementUrls.id, ''));
  for (const [name, value] of parameters) publicUrl.searchParams.set(name, value);
  return publicUrl.href;
}
