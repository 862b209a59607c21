import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { isFinished } from './durableRuns';
import { answerWithProblems, jsonResponse } from './responses';
import { requireRun, runIdFrom } from './runRequest';
import { runView } from './runView';

/** Poll interval suggested while a run is active (the orchestrator's phases last seconds to hours). */
const RETRY_AFTER_SECONDS = '10';

/**
 * `GET /api/captures/{instanceId}`: where a run is (phase and its facts), and at the end its
 * report and capture summary. Like the Durable status API it answers 202 while the run is active
 * (so a client that follows `Location` keeps polling) and 200 once it has ended.
 */
export async function captureStatus(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  return answerWithProblems('captureStatus', request, context, async (req) => {
    const run = await requireRun(client, runIdFrom(req));
    const view = runView(run, req.url);
    return isFinished(run.runtimeStatus)
      ? jsonResponse(200, view)
      : jsonResponse(202, view, { location: view.links.status, 'retry-after': RETRY_AFTER_SECONDS });
  });
}
