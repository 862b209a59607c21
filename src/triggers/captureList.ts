import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { durableUnavailable } from './durableRuns';
import { instanceIdPrefixOf, listQueryFrom, matchesRunFilter, type ListQuery } from './listQuery';
import { answerWithProblems, jsonResponse } from './responses';
import { runPages } from './runPages';
import { runListItem, type RawRunStatus } from './runView';

/** The extension's own largest page. */
const MAX_PAGE_SIZE = 1000;

/**
 * `GET /api/captures?vm=…&status=…&since=…&limit=…`: capture runs, newest first. A VM keeps one
 * run id, so each VM appears once, with its latest run. The Durable extension filters by run id
 * prefix, status and creation time, and pages are read only until `limit` runs are found: a large
 * task hub is never loaded whole. Runs come in run id order, so with `truncated` the answer holds
 * the first `limit` runs by id; narrow the query to see the others.
 */
export async function captureList(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return answerWithProblems('captureList', request, context, async (req) => {
    const query = listQueryFrom(req.query);
    const { runs, truncated } = await firstRuns(context, query);
    runs.sort((a, b) => timeOf(b.createdTime) - timeOf(a.createdTime));
    return jsonResponse(200, { runs: runs.map((run) => runListItem(run, req.url)), truncated });
  });
}

async function firstRuns(
  context: InvocationContext,
  query: ListQuery,
): Promise<{ runs: RawRunStatus[]; truncated: boolean }> {
  const runs: RawRunStatus[] = [];
  try {
    const pages = runPages(context, {
      instanceIdPrefix: instanceIdPrefixOf(query),
      ...(query.since && { createdTimeFrom: query.since }),
      ...(query.statuses && { runtimeStatus: query.statuses }),
      // One more than asked for tells whether there are more.
      pageSize: Math.min(query.limit + 1, MAX_PAGE_SIZE),
    });
    for await (const page of pages) {
      runs.push(...page.filter((status) => matchesRunFilter(status, query)));
      if (runs.length > query.limit) return { runs: runs.slice(0, query.limit), truncated: true };
    }
  } catch (error) {
    throw durableUnavailable('list', undefined, error);
  }
  return { runs, truncated: false };
}

const timeOf = (value: string | Date): number => new Date(value).getTime();
