import { DevHostError } from './DevHostError';

/**
 * Long JSON text spread over several string properties of one table entity. A table string
 * property holds at most 64 KiB (32K UTF-16 units) and an entity at most 1 MiB, so the text is cut
 * into parts under `Name`, `Name_1`, `Name_2`, … with the count in `NameParts`.
 *
 * The text is stored as ASCII (non-ASCII characters as JSON \u escapes): Azurite decodes request
 * bodies chunk by chunk and turns a multi-byte character split across two chunks into U+FFFD
 * (Azure/Azurite#2670). ASCII also lets parts be cut anywhere.
 */

const PART_LENGTH = 30_000;
// Leaves room under the 1 MiB entity limit for the other properties.
const MAX_ENTITY_TEXT_LENGTH = 30 * PART_LENGTH;

export function textProperties(
  name: string,
  json: string,
  what: () => string,
): Record<string, string | number> {
  const text = asciiJson(json);
  if (text.length > MAX_ENTITY_TEXT_LENGTH) {
    throw new DevHostError(
      'DEVHOST_STATE_TOO_LARGE',
      `${what()} is ${text.length} characters of JSON; a table entity holds at most ${MAX_ENTITY_TEXT_LENGTH}. ` +
        'Pass smaller values between functions (for example a blob reference instead of the data).',
      { details: { property: name, length: text.length, limit: MAX_ENTITY_TEXT_LENGTH } },
    );
  }
  const properties: Record<string, string | number> = {};
  let index = 0;
  for (let start = 0; index === 0 || start < text.length; start += PART_LENGTH, index += 1) {
    properties[index === 0 ? name : `${name}_${index}`] = text.slice(start, start + PART_LENGTH);
  }
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

/** The same JSON with every non-ASCII UTF-16 unit written as a \u escape (lone surrogates included). */
function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
