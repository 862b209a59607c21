/** Builds an RFC 6901 JSON Pointer (`/data/essentials/alertTargetIDs/0`) from path segments. */
export function jsonPointer(...segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Quotes an untrusted value for a message, cut short so that a huge value cannot flood the answer. */
export function quote(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
