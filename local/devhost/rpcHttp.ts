import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { RpcTypedData } from '../durable';

/**
 * The HTTP request and response shapes exchanged between the Functions host and the Node worker
 * (RpcHttp): the host sends the request this way and `@azure/functions` turns it into its own
 * `HttpRequest`; the worker answers with the `HttpResponse` converted back.
 */
export interface RpcHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
  body?: { bytes: Uint8Array };
}

interface RpcNullable<T> {
  value?: T;
}

export interface RpcHttpCookie {
  name?: string;
  value?: string;
  domain?: RpcNullable<string>;
  path?: RpcNullable<string>;
  expires?: RpcNullable<{ seconds?: number }>;
  secure?: RpcNullable<boolean>;
  httpOnly?: RpcNullable<boolean>;
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone';
  maxAge?: RpcNullable<number>;
}

export interface RpcHttpResponse {
  statusCode?: string;
  headers?: Record<string, string>;
  cookies?: RpcHttpCookie[];
  body?: RpcTypedData | null;
}

/** Header values as the host passes them: one string per name, repeated headers joined. */
export function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

/** Query values as the host passes them: one string per name, repeated values joined by commas. */
export function queryRecord(url: URL): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) {
    record[name] = url.searchParams.getAll(name).join(',');
  }
  return record;
}

export function toRpcHttpRequest(request: {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
}): RpcHttpRequest {
  return {
    method: request.method,
    url: request.url.href,
    headers: headerRecord(request.headers),
    query: queryRecord(request.url),
    params: request.params,
    ...(request.body.length > 0 ? { body: { bytes: new Uint8Array(request.body) } } : {}),
  };
}

/**
 * Writes the worker's answer. No HTTP output at all (the function returned nothing) is answered
 * 204, as the host does for an HTTP function that sets no response.
 */
export function writeRpcHttpResponse(
  res: ServerResponse,
  response: RpcHttpResponse | null | undefined,
): void {
  if (!response) {
    res.writeHead(204).end();
    return;
  }
  const status = Number(response.statusCode ?? '200');
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(
      `The function answered with the HTTP status '${response.statusCode}', which is not valid.`,
    );
  }
  const headers: Record<string, string | string[]> = { ...response.headers };
  const cookies = (response.cookies ?? []).map(serializeCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(status, headers);
  res.end(bodyBytes(response.body));
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (typeof body.string === 'string') return Buffer.from(body.string);
  if (typeof body.json === 'string') return Buffer.from(body.json);
  return Buffer.alloc(0);
}

function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const expiresSeconds = cookie.expires?.value?.seconds;
  if (expiresSeconds !== undefined) parts.push(`Expires=${new Date(expiresSeconds * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined) parts.push(`Max-Age=${Math.trunc(cookie.maxAge.value)}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[
    cookie.sameSite ?? 'none'
  ];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
