import { DevHostError } from './DevHostError';

/**
 * Long text spread over several string properties of one table entity. A table string property
 * holds at most 64 KiB (32K UTF-16 units) and an entity at most 1 MiB, so text is cut into parts
 * (never inside a surrogate pair) under `Name`, `Name_1`, `Name_2`, … with the count in `NameParts`.
 */

const PART_LENGTH = 30_000;
// Leaves room under the 1 MiB entity limit for the other properties.
export const MAX_ENTITY_TEXT_LENGTH = 30 * PART_LENGTH;

export function textProperties(
  name: string,
  text: string,
  what: () => string,
): Record<string, string | number> {
  if (text.length > MAX_ENTITY_TEXT_LENGTH) {
    throw new DevHostError(
      'DEVHOST_STATE_TOO_LARGE',
      `${what()} is ${text.length} characters of JSON; a table entity holds at most ${MAX_ENTITY_TEXT_LENGTH}. ` +
        'Pass smaller values between functions (for example a blob reference instead of the data).',
      { details: { property: name, length: text.length, limit: MAX_ENTITY_TEXT_LENGTH } },
    );
  }
  const properties: Record<string, string | number> = {};
  let start = 0;
  let index = 0;
  do {
    let end = Math.min(start + PART_LENGTH, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    properties[index === 0 ? name : `${name}_${index}`] = text.slice(start, end);
    start = end;
    index += 1;
  } while (start < text.length);
  properties[`${name}Parts`] = index;
  return properties;
}

export function readTextProperties(entity: Record<string, unknown>, name: string): string | undefined {
  const parts = entity[`${name}Parts`];
  if (typeof parts !== 'number') return undefined;
  let text = '';
  for (let index = 0; index < parts; index++) {
    const part = entity[index === 0 ? name : `${name}_${index}`];
    if (typeof part !== 'string') return undefined;
    text += part;
  }
  return text;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
