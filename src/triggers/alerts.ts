import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { InvocationLog } from '../runtime/invocationLog';
import { interpretAlert } from '../alerts/interpretAlert';
import { getConfig } from '../config';
import { problemResponse } from '../http/problem';
import { readJsonBody } from '../http/readJsonBody';
import { alertTokenOptionsFromConfig, verifyAlertToken } from '../security/alertToken';
import { answerWithProblems, jsonResponse } from './responses';
import { settleResolvedAlert } from './resolvedAlert';
import { captureLinks } from '../http/routes';
import { startOrJoinCapture } from './startOrJoin';

/** How long a client following `Location` should wait before its first status request. */
const RETRY_AFTER_SECONDS = '10';

/**
 * `POST /api/alerts`: an action group's alert. Checks the secure webhook token when that is on,
 * reads the body (256 KB at most), decides without I/O what the alert asks for, then starts or
 * joins the VM's run (202), settles a resolved alert (200) or refuses (4xx problem+json).
 */
export async function alerts(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  return answerWithProblems('alerts', request, context, (req, log) => acceptAlert(req, client, log));
}

async function acceptAlert(request: HttpRequest, client: DurableClient, log: InvocationLog) {
  const config = getConfig();
  const tokenOptions = alertTokenOptionsFromConfig(config);
  if (tokenOptions) await verifyAlertToken(request.headers.get('authorization'), tokenOptions);
  const decision = interpretAlert(await readJsonBody(request), config);
  switch (decision.kind) {
    case 'refused':
      log.warn('alert.refused', { code: decision.problem.code, field: decision.problem.field });
      return problemResponse(decision.problem);
    case 'resolved': {
      const { outcome, reason } = await settleResolvedAlert(client, decision, config.RESOLVED_ALERT_ACTION);
      log.info('alert.resolved', { instanceId: decision.instanceId, vm: decision.vmId, outcome });
      return jsonResponse(200, { status: 'resolved', id: decision.instanceId, outcome, reason });
    }
    case 'capture': {
      const outcome = await startOrJoinCapture(client, decision);
      log.info(outcome.joined ? 'alert.joined' : 'alert.started', {
        instanceId: outcome.instanceId,
        vm: decision.request.vmId,
        schema: decision.request.alert.schema,
        runtimeStatus: outcome.runtimeStatus,
        joinedAs: outcome.joinedAs,
      });
      const links = captureLinks(request.url, outcome.instanceId);
      return jsonResponse(
        202,
        {
          id: outcome.instanceId,
          joined: outcome.joined,
          ...(outcome.joinedAs && { joinedAs: outcome.joinedAs }),
          runtimeStatus: outcome.runtimeStatus,
          vm: decision.request.vmId,
          statusQueryGetUri: links.status,
          stopPostUri: links.stop,
        },
        { location: links.status, 'retry-after': RETRY_AFTER_SECONDS },
      );
    }
  }
}
