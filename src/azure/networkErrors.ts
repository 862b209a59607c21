/**
 * Error codes of a request that never got an answer (connection refused, reset or timed out, name
 * not resolved, the SDK's send failure): a retry may well reach the service.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

export function isNetworkErrorCode(code: unknown): code is string {
  return typeof code === 'string' && NETWORK_CODES.has(code);
}
