/** Header names ARM and storage use to say how long to wait, most precise first. */
const MS_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms'];

interface HeaderSource {
  get(name: string): string | undefined | null;
}

/** The wait a 429/503 response asks for, in milliseconds (`Retry-After` seconds or HTTP date). */
export function retryAfterMs(headers: HeaderSource | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of MS_HEADERS) {
    const value = Number(headers.get(name) ?? NaN);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
