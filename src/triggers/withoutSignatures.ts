/** Query parameters that make a URL a credential (Azure Storage SAS, function keys). */
const SECRET_PARAMETER = /[?&](sig|code)=/i;
const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/gi;

/**
 * A deep copy of a JSON value in which every URL carrying a signature or a key, alone or inside a
 * message, loses its query. Defence in depth for the status API: the run's state is not meant to hold a
 * signed link, and if a future change put one there, it still would not leave through here.
 */
export function withoutSignatures<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(URL_IN_TEXT, (url) => (SECRET_PARAMETER.test(url) ? url.split('?')[0]! : url));
  }
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item)]));
  }
  return value;
}
