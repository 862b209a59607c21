import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors/AppError';

/** Azure Monitor caps an alert payload at 256 KB; anything larger did not come from it. */
export const MAX_ALERT_BODY_BYTES = 256 * 1024;

export interface ReadJsonBodyOptions {
  /** Largest accepted body in bytes (default 256 KB). */
  maxBytes?: number;
}

/**
 * Reads a JSON request body without ever holding more than `maxBytes` of it: the declared length
 * is checked first, then the stream is counted as it arrives and abandoned once over the limit.
 * A missing or text/plain content type is tolerated; any other non-JSON one is refused.
 * @throws AppError ALERT_UNSUPPORTED_MEDIA_TYPE, ALERT_BODY_TOO_LARGE or ALERT_NOT_JSON.
 */
export async function readJsonBody(
  request: HttpRequest,
  options: ReadJsonBodyOptions = {},
): Promise<unknown> {
  const maxBytes = options.maxBytes ?? MAX_ALERT_BODY_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
  if (request.bodyUsed) throw new TypeError('the request body has already been read');
  checkContentType(request.headers.get('content-type'));
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  const bytes = await readLimited(request, maxBytes);
  return parseJson(bytes);
}

function checkContentType(header: string | null): void {
  if (header === null || header.trim() === '') return;
  const [essence = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  // text/plain is what many senders default to, and what the Functions worker reports when a
  // request had no content type at all; its body is still parsed as JSON.
  const isJson =
    essence === 'application/json' ||
    essence === 'text/json' ||
    essence === 'text/plain' ||
    /^application\/[\w.-]+\+json$/.test(essence);
  if (!isJson) {
    throw new AppError(
      'ALERT_UNSUPPORTED_MEDIA_TYPE',
      `The body must be JSON (Content-Type: application/json), not ${JSON.stringify(header.slice(0, 100))}.`,
      { details: { field: 'content-type' } },
    );
  }
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(
      'ALERT_UNSUPPORTED_MEDIA_TYPE',
      `The body must be UTF-8 JSON; charset ${JSON.stringify(charset.slice(0, 40))} is not supported.`,
      { details: { field: 'content-type' } },
    );
  }
}

async function readLimited(request: HttpRequest, maxBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('the request body stream must yield bytes');
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('ALERT_BODY_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`, {
    details: { field: '', maxBytes },
  });
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new AppError('ALERT_NOT_JSON', 'The body is not valid UTF-8.', { details: { field: '' }, cause });
  }
  if (text.trim() === '') {
    throw new AppError('ALERT_NOT_JSON', 'The body is empty; send the alert as JSON.', {
      details: { field: '' },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    // The parser's own message quotes the body, so it stays in the cause (logs), not in the answer.
    throw new AppError('ALERT_NOT_JSON', 'The body is not valid JSON.', { details: { field: '' }, cause });
  }
}
