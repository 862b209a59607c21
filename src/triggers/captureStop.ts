import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { InvocationLog } from '../runtime/invocationLog';
import { AppError } from '../errors/AppError';
import { isFinished, requestStop } from './durableRuns';
import { answerWithProblems, jsonResponse } from './responses';
import { captureLinks } from '../http/routes';
import { requireRun, runIdFrom, vmIdOf } from './runRequest';

const MAX_REASON_LENGTH = 200;

/**
 * `POST /api/captures/{instanceId}/stop[?reason=…]`: an operator stops the capture now. The run
 * stops the Network Watcher session, then verifies, summarises and reports the file as usual.
 * 202 when the request was delivered; 409 when the run has already ended.
 */
export async function captureStop(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  return answerWithProblems('captureStop', request, context, (req, log) => stop(req, client, log));
}

async function stop(request: HttpRequest, client: DurableClient, log: InvocationLog) {
  const instanceId = runIdFrom(request);
  const reason = reasonFrom(request);
  const run = await requireRun(client, instanceId);
  if (isFinished(run.runtimeStatus)) {
    throw new AppError(
      'RUN_NOT_RUNNING',
      `Capture run ${instanceId} has already ended (${run.runtimeStatus}); there is nothing to stop.`,
      { details: { instanceId, runtimeStatus: run.runtimeStatus } },
    );
  }
  await requestStop(client, instanceId, { reason, requestedBy: 'operator' });
  log.info('run.stopRequested', { instanceId, vm: vmIdOf(run.input), reason });
  const links = captureLinks(request.url, instanceId);
  return jsonResponse(
    202,
    { id: instanceId, stopRequested: true, reason, statusQueryGetUri: links.status },
    { location: links.status },
  );
}

/** @throws AppError REQUEST_INVALID for an over-long reason or one with control characters. */
function reasonFrom(request: HttpRequest): string {
  const reason = request.query.get('reason')?.trim() || 'stopped by an operator';
  // eslint-disable-next-line no-control-regex
  if (reason.length > MAX_REASON_LENGTH || /[\u0000-\u001f\u007f]/.test(reason)) {
    throw new AppError(
      'REQUEST_INVALID',
      `reason must be one line of at most ${MAX_REASON_LENGTH} characters.`,
      { details: { field: 'reason' } },
    );
  }
  return reason;
}
