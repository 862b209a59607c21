import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../src/errors/catalog';

describe('error catalogue', () => {
  const doc = readFileSync(join(__dirname, '../../docs/errors.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]));

  it('documents every code in docs/errors.md', () => {
    expect([...Object.keys(ERROR_CATALOG)].filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    expect([...documented].filter((code) => !(code! in ERROR_CATALOG))).toEqual([]);
  });

  it('states the same HTTP status and retriability as the catalogue', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` `))!;
      const [, , status, retriable] = row.split('|').map((c) => c.trim());
      expect({ code, status: Number(status), retriable: retriable === 'yes' }).toEqual({
        code,
        status: entry.status,
        retriable: entry.retriable,
      });
    }
  });
});
