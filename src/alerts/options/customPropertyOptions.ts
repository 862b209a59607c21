import type { ProblemItem } from '../../http/problem';
import type { RawField } from '../alertFacts';
import { jsonPointer, quote } from '../jsonPointer';
import type { RawCaptureOptions } from '../alertFacts';

/** The custom properties of an alert rule that set capture options, and the option each sets. */
export const CAPTURE_PROPERTY_KEYS = {
  captureTimeLimitSeconds: 'timeLimitSeconds',
  captureBytesPerPacket: 'bytesPerPacket',
  captureBytesPerSession: 'bytesPerSession',
  captureFilters: 'filters',
} as const satisfies Record<string, keyof RawCaptureOptions>;

type CapturePropertyKey = keyof typeof CAPTURE_PROPERTY_KEYS;

/**
 * Picks the `capture…` keys out of a rule's custom properties. Other keys belong to other
 * receivers and are left alone, but a key that starts with "capture" and is not one of ours is
 * reported: it is almost certainly a misspelt option that would otherwise be ignored in silence.
 * Empty values count as unset (the portal lets a property be saved blank).
 */
export function optionsFromCustomProperties(properties: RawField | undefined): {
  raw: RawCaptureOptions;
  problems: ProblemItem[];
} {
  const raw: RawCaptureOptions = {};
  const problems: ProblemItem[] = [];
  const record = properties?.value;
  if (properties === undefined || typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { raw, problems };
  }
  for (const [key, value] of Object.entries(record)) {
    const field = properties.field + jsonPointer(key);
    if (isCaptureKey(key)) {
      if (value !== null && value !== '') raw[CAPTURE_PROPERTY_KEYS[key]] = { value, field };
    } else if (/^capture/i.test(key)) {
      const suggestion = Object.keys(CAPTURE_PROPERTY_KEYS).find(
        (k) => k.toLowerCase() === key.toLowerCase(),
      );
      problems.push({
        field,
        detail: `${quote(key, 60)} is not a capture option${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known: ${Object.keys(CAPTURE_PROPERTY_KEYS).join(', ')}`,
      });
    }
  }
  return { raw, problems };
}

function isCaptureKey(key: string): key is CapturePropertyKey {
  return Object.hasOwn(CAPTURE_PROPERTY_KEYS, key);
}
