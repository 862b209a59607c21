import type { IncomingMessage } from 'node:http';

/** The request body is larger than the host accepts (answered with 413). */
export class PayloadTooLargeError extends RangeError {
  override name = 'PayloadTooLargeError';

  constructor(readonly limitBytes: number) {
    super(`The request body exceeds the host's limit of ${limitBytes} bytes.`);
  }
}

/**
 * Reads a request body into memory, refusing it as soon as it passes `limitBytes` (a declared
 * Content-Length over the limit is refused before anything is read).
 */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
