import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  invokeFunction,
  type FunctionRegistry,
  type RegisteredFunction,
  type RpcTypedData,
} from '../durable';
import type { FunctionCallback } from '../durable/functionsCore';
import { PayloadTooLargeError } from './requestBody';
import { headerRecord, queryRecord } from './rpcHttp';

export interface StreamingInvocation {
  registry: FunctionRegistry;
  fn: RegisteredFunction;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  extraInputs: Record<string, RpcTypedData>;
  invocationId: string;
  /** The worker's proxy (`HttpUri` capability of `@azure/functions` with `enableHttpStream`). */
  proxyUri: string;
  maxRequestBodyBytes: number;
}

/**
 * Invokes an HTTP function of an app that enabled HTTP streams, the way the host does then: the
 * raw request goes to the worker's proxy (tagged with the invocation id) while the invocation
 * carries headers and route parameters as trigger metadata; the function's response comes back on
 * that proxy connection and is streamed to the client. Neither body is held in memory here.
 */
export async function invokeStreaming(call: StreamingInvocation): Promise<number> {
  const { req, res, url } = call;
  const limit = new ByteLimit(call.maxRequestBodyBytes);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > call.maxRequestBodyBytes) {
    throw new PayloadTooLargeError(call.maxRequestBodyBytes);
  }
  const proxied = httpRequest(new URL(`${url.pathname}${url.search}`, call.proxyUri), {
    method: req.method,
    headers: {
      ...req.headers,
      'x-ms-invocation-id': call.invocationId,
      'x-forwarded-host': req.headers.host ?? url.host,
      'x-forwarded-proto': url.protocol.replace(':', ''),
    },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    proxied.once('response', resolve);
    proxied.once('error', reject);
  });
  answered.catch(() => undefined); // awaited only when the function answers; its failure is handled there
  const upload = pipeline(req, limit, proxied).catch((error: unknown) => error);
  let returned: unknown;
  const callback: FunctionCallback = async (...args) => (returned = await call.fn.callback(...args));
  try {
    await invokeFunction(call.registry, call.fn, {
      triggerData: { http: { method: req.method, url: url.href, headers: headerRecord(req.headers) } },
      triggerMetadata: triggerMetadata(req, url, call.params),
      extraInputs: call.extraInputs,
      invocationId: call.invocationId,
      callback,
    });
  } catch (error) {
    proxied.destroy();
    throw limit.exceeded ? new PayloadTooLargeError(call.maxRequestBodyBytes) : error;
  }
  if (returned === undefined || returned === null) {
    // The worker sends nothing back through the proxy for a function without a response.
    proxied.destroy();
    await upload;
    res.writeHead(204).end();
    return 204;
  }
  const response = await answered;
  res.writeHead(response.statusCode ?? 500, response.headers);
  await pipeline(response, res);
  await upload;
  return response.statusCode ?? 500;
}

/** Headers and query as JSON, route parameters as strings: what the library reads in stream mode. */
function triggerMetadata(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {
    Headers: { json: JSON.stringify(headerRecord(req.headers)) },
    Query: { json: JSON.stringify(queryRecord(url)) },
  };
  for (const [name, value] of Object.entries(params)) metadata[name] = { string: value };
  return metadata;
}

class ByteLimit extends Transform {
  private seen = 0;
  exceeded = false;

  constructor(private readonly limitBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limitBytes) {
      this.exceeded = true;
      done(new PayloadTooLargeError(this.limitBytes));
      return;
    }
    done(null, chunk);
  }
}
