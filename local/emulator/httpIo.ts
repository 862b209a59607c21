import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ArmError } from './armError';

const MAX_BODY_BYTES = 1024 * 1024;

/** The request body parsed as JSON; an empty body is `undefined`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new ArmError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    );
  }
}

export interface JsonAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, answer: JsonAnswer): void {
  const payload = answer.body === undefined ? undefined : Buffer.from(JSON.stringify(answer.body), 'utf8');
  const requestId = randomUUID();
  res.writeHead(answer.status, {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'cache-control': 'no-cache',
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(payload?.length ?? 0),
    ...answer.headers,
  });
  res.end(payload);
}
