import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationRuntimeStatus } from 'durable-functions';
import { durableUnavailable } from './durableRuns';
import { listQueryFrom, matchesRunFilter } from './listQuery';
import { answerWithProblems, jsonResponse } from './responses';
import { runListItem, type RawRunStatus } from './runView';

/**
 * `GET /api/captures?vm=…&status=…&since=…&limit=…`: the capture runs, newest first. A VM keeps
 * one run id, so each VM appears once, with its latest run.
 */
export async function listCaptures(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  return answerWithProblems('captureList', request, context, async (req) => {
    const query = listQueryFrom(req.query);
    let statuses: RawRunStatus[];
    try {
      statuses = (await client.getStatusBy({
        ...(query.since ? { createdTimeFrom: query.since } : {}),
        ...(query.statuses ? { runtimeStatus: query.statuses as OrchestrationRuntimeStatus[] } : {}),
      })) as unknown as RawRunStatus[];
    } catch (error) {
      throw durableUnavailable('list', undefined, error);
    }
    const runs = statuses
      .filter((status) => matchesRunFilter(status, query))
      .sort((a, b) => timeOf(b.createdTime) - timeOf(a.createdTime));
    return jsonResponse(200, {
      runs: runs.slice(0, query.limit).map((run) => runListItem(run, req.url)),
      truncated: runs.length > query.limit,
    });
  });
}

const timeOf = (value: string | Date): number => new Date(value).getTime();
