import type { DurableEngine, InstanceStore } from '../durable';
import { toStatus } from '../durable/instanceRecords';
import {
  booleanParameter,
  dateParameter,
  empty,
  engineErrorResponse,
  errorResponse,
  secondsParameter,
  type ApiResponse,
} from './apiMessages';
import { instancePage, matchingInstances } from './instanceQuery';
import { checkStatusPayload, type WebhookAddress } from './managementLinks';
import { isTerminalStatus, statusPayload } from './statusPayload';

/** One request to the Durable HTTP API, below its base path (public webhook or internal RPC). */
export interface ApiRequest {
  method: string;
  /** Decoded path segments below the API base, e.g. ['instances', 'abc', 'terminate']. */
  segments: string[];
  /** The full request URL (the status answer points its Location at it). */
  url: URL;
  contentType: string | undefined;
  continuationToken: string | undefined;
  /** The origin that management links in answers should use. */
  linkOrigin: string;
  body(): Promise<Buffer>;
}

export interface DurableHttpApiOptions {
  engine: DurableEngine;
  /** Where instance status is read, as the extension reads it: what has been stored, never more. */
  store: Pick<InstanceStore, 'get'>;
  taskHub: string;
  systemKey: string;
}

const MAX_INSTANCE_ID_LENGTH = 256;
const RUNNING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/**
 * The Durable extension's HTTP API over the local engine: the routes, status codes and bodies of
 * the extension's HttpApiHandler, for the calls `durable-functions` makes at `rpcBaseUrl` and the
 * public `/runtime/webhooks/durabletask` URLs operators use.
 */
export class DurableHttpApi {
  constructor(private readonly options: DurableHttpApiOptions) {}

  async handle(request: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.route(request);
    } catch (error) {
      return engineErrorResponse(error);
    }
  }

  private async route(request: ApiRequest): Promise<ApiResponse> {
    const hub = request.url.searchParams.get('taskHub');
    if (hub && hub.toLowerCase() !== this.options.taskHub.toLowerCase()) {
      return errorResponse(
        400,
        `This host serves the task hub '${this.options.taskHub}' only, not '${hub}'.`,
      );
    }
    const [controller, ...rest] = request.segments;
    const method = request.method.toUpperCase();
    switch (controller?.toLowerCase()) {
      case 'orchestrators':
        if (method === 'POST' && rest.length >= 1 && rest.length <= 2)
          return this.start(request, rest[0]!, rest[1]);
        return empty(404);
      case 'instances':
        return this.instances(request, method, rest);
      case 'entities':
        return errorResponse(501, 'Durable entities are not supported by the dev host.');
      default:
        return empty(404);
    }
  }

  private async instances(request: ApiRequest, method: string, rest: string[]): Promise<ApiResponse> {
    const [instanceId, operation, eventName] = rest;
    if (instanceId === undefined || instanceId === '') {
      if (method === 'GET') return this.list(request);
      if (method === 'DELETE') return this.purgeMatching(request);
      return empty(404);
    }
    if (operation === undefined) {
      if (method === 'GET') return this.status(request, instanceId);
      if (method === 'DELETE') return this.purge(instanceId);
      return empty(404);
    }
    if (method !== 'POST') return empty(404);
    const op = operation.toLowerCase();
    if (op === 'raiseevent' && eventName !== undefined && rest.length === 3) {
      return this.raiseEvent(request, instanceId, eventName);
    }
    if (rest.length !== 2) return empty(404);
    switch (op) {
      case 'terminate':
        return this.terminate(request, instanceId);
      case 'restart':
        return this.restart(request, instanceId);
      case 'rewind':
        return this.rewind(instanceId);
      case 'suspend':
      case 'resume':
        return this.suspendOrResume(instanceId, op);
      default:
        return empty(404);
    }
  }

  private async start(request: ApiRequest, functionName: string, instanceId?: string): Promise<ApiResponse> {
    if (instanceId !== undefined) {
      // The engine checks / \ # ? and a leading @; the extension also refuses these.
      if ([...instanceId].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        return errorResponse(400, 'Orchestration instance ids must not contain control characters.');
      }
      if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
        return errorResponse(
          400,
          `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`,
        );
      }
    }
    const text = (await request.body()).toString('utf8');
    let input: unknown;
    if (text.length > 0) {
      try {
        input = JSON.parse(text);
      } catch {
        return errorResponse(400, 'Invalid JSON content');
      }
    }
    const id = await this.options.engine.start(functionName, input, { instanceId: instanceId || undefined });
    return this.answerStarted(request, id);
  }

  private async answerStarted(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const timeout = secondsParameter(request.url.searchParams, 'timeout');
    const interval = secondsParameter(request.url.searchParams, 'pollingInterval');
    if (timeout === undefined || interval === undefined) return this.checkStatus(request, instanceId);
    if (interval > timeout) {
      return errorResponse(400, `Total timeout ${timeout} should be bigger than retry timeout ${interval}`);
    }
    const deadline = Date.now() + timeout * 1000;
    let status = this.options.engine.getStatus(instanceId);
    while (status && !isTerminalStatus(status.runtimeStatus) && Date.now() < deadline) {
      const pause = Math.min(interval * 1000, Math.max(0, deadline - Date.now()));
      await new Promise((resolve) => setTimeout(resolve, pause));
      status = this.options.engine.getStatus(instanceId);
    }
    if (status?.runtimeStatus === 'Completed') return { status: 200, body: status.output };
    if (status && isTerminalStatus(status.runtimeStatus)) return this.status(request, instanceId);
    return this.checkStatus(request, instanceId);
  }

  private checkStatus(request: ApiRequest, instanceId: string): ApiResponse {
    const links = checkStatusPayload(this.address(request), instanceId);
    return {
      status: 202,
      headers: { Location: links.statusQueryGetUri, 'Retry-After': '10' },
      body: links,
    };
  }

  private async status(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const query = request.url.searchParams;
    const view = {
      showHistory: booleanParameter(query, 'showHistory', false),
      showHistoryOutput: booleanParameter(query, 'showHistoryOutput', false),
      showInput: booleanParameter(query, 'showInput', true),
    };
    const record = await this.options.store.get(instanceId);
    if (!record) return empty(404);
    const status = toStatus(record, view.showHistory);
    const body = statusPayload(status, view);
    if (RUNNING.has(status.runtimeStatus)) {
      return { status: 202, headers: { Location: request.url.href, 'Retry-After': '5' }, body };
    }
    const failedAs500 = booleanParameter(query, 'returnInternalServerErrorOnFailure', false);
    return { status: status.runtimeStatus === 'Failed' && failedAs500 ? 500 : 200, body };
  }

  private list(request: ApiRequest): ApiResponse {
    const query = request.url.searchParams;
    const { page, continuationToken } = instancePage(this.options.engine.listInstances(), {
      query,
      continuationToken: request.continuationToken,
    });
    const showInput = booleanParameter(query, 'showInput', true);
    return {
      status: 200,
      headers: continuationToken ? { 'x-ms-continuation-token': continuationToken } : {},
      body: page.map((s) => statusPayload(s, { showInput, showHistory: false, showHistoryOutput: false })),
    };
  }

  private async purge(instanceId: string): Promise<ApiResponse> {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return empty(404);
    if (!isTerminalStatus(status.runtimeStatus)) {
      return {
        status: 412,
        body:
          `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ` +
          `${instanceId} has status ${status.runtimeStatus}`,
      };
    }
    await this.options.engine.purge(instanceId);
    return { status: 200, body: { instancesDeleted: 1 } };
  }

  /** Purges finished instances created in a time window (only those: running ones are kept). */
  private async purgeMatching(request: ApiRequest): Promise<ApiResponse> {
    const query = request.url.searchParams;
    if (!dateParameter(query, 'createdTimeFrom')) {
      return { status: 400, body: "Please provide value for 'createdTimeFrom' parameter." };
    }
    const finished = matchingInstances(this.options.engine.listInstances(), query).filter((s) =>
      isTerminalStatus(s.runtimeStatus),
    );
    for (const status of finished) await this.options.engine.purge(status.instanceId);
    if (finished.length === 0) return empty(404);
    return { status: 200, body: { instancesDeleted: finished.length } };
  }

  private async raiseEvent(request: ApiRequest, instanceId: string, eventName: string): Promise<ApiResponse> {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return empty(404);
    if (isTerminalStatus(status.runtimeStatus)) return empty(410);
    const mediaType = request.contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return errorResponse(400, 'Only application/json request content is supported');
    }
    const text = (await request.body()).toString('utf8');
    let data: unknown = null;
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        return errorResponse(400, 'Invalid JSON content');
      }
    }
    await this.options.engine.raiseEvent(instanceId, eventName, data);
    return empty(202);
  }

  private async terminate(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return empty(404);
    if (isTerminalStatus(status.runtimeStatus)) return empty(410);
    await this.options.engine.terminate(instanceId, request.url.searchParams.get('reason') ?? '');
    return empty(202);
  }

  private async restart(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return errorResponse(400, 'InstanceId does not match a valid orchestration instance.');
    const newId = booleanParameter(request.url.searchParams, 'restartWithNewInstanceId', true);
    const id = await this.options.engine.start(status.name, status.input ?? undefined, {
      instanceId: newId ? undefined : instanceId,
    });
    return this.answerStarted(request, id);
  }

  private rewind(instanceId: string): ApiResponse {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return { status: 404, body: `No orchestration with instance ID "${instanceId}" found.` };
    if (status.runtimeStatus !== 'Failed') {
      return {
        status: 412,
        body: `This orchestration has status ${status.runtimeStatus}, but only orchestrations in the "Failed" state can be rewound.`,
      };
    }
    return errorResponse(501, 'Rewind is not supported by the underlying storage provider.');
  }

  private suspendOrResume(instanceId: string, operation: string): ApiResponse {
    const status = this.options.engine.getStatus(instanceId);
    if (!status) return empty(404);
    if (isTerminalStatus(status.runtimeStatus)) return empty(410);
    return errorResponse(501, `The dev host does not support ${operation}; terminate the instance instead.`);
  }

  private address(request: ApiRequest): WebhookAddress {
    return { origin: request.linkOrigin, taskHub: this.options.taskHub, systemKey: this.options.systemKey };
  }
}
