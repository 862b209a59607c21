import { ArmError } from '../armError';
import type { Namespace } from '../namespace';
import type { ArmHandler } from './armRequest';
import { lroHeaders } from './armRequest';

const operationOf = (ns: Namespace, id: string) => {
  const op = ns.operations.get(id);
  if (!op) throw new ArmError(404, 'NotFound', `Operation ${id} was not found.`);
  return op;
};

/** Azure-AsyncOperation polling: a status body, InProgress until the operation is done. */
export const operationStatus: ArmHandler = (request) => {
  const op = operationOf(request.ns, request.params.operationId as string);
  if (!op.finished) {
    return {
      status: 200,
      body: { name: op.id, status: 'InProgress' },
      headers: { 'Retry-After': String(request.ns.settings.retryAfterSeconds) },
    };
  }
  return {
    status: 200,
    body: {
      name: op.id,
      status: op.error ? 'Failed' : 'Succeeded',
      startTime: new Date(op.startedAtRealMs).toISOString(),
      endTime: new Date(op.readyAtRealMs).toISOString(),
      ...(op.error ? { error: op.error } : {}),
    },
  };
};

/** Location polling: 202 until the operation is done, then its result. */
export const operationResult: ArmHandler = (request) => {
  const op = operationOf(request.ns, request.params.operationId as string);
  return op.finished ? op.result() : { status: 202, headers: lroHeaders(request, op, 'result') };
};
