import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_ERROR_CATALOG } from '../../local/errors';
import { ERROR_CATALOG } from '../../src/errors/catalog';

type Catalog = Record<string, { status: number; retriable: boolean }>;

const CATALOGS: [name: string, catalog: Catalog, doc: string][] = [
  ['the app (src/errors/catalog.ts)', ERROR_CATALOG, 'docs/errors.md'],
  ['the offline stack (local/errors.ts)', LOCAL_ERROR_CATALOG, 'docs/offline-stack.md'],
];

describe.each(CATALOGS)('error catalogue of %s', (_name, catalog, docPath) => {
  const doc = readFileSync(join(__dirname, '../..', docPath), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]));

  it(`documents every code in ${docPath}`, () => {
    expect([...Object.keys(catalog)].filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    expect([...documented].filter((code) => !(code! in catalog))).toEqual([]);
  });

  it('states the same HTTP status and retriability as the catalogue', () => {
    for (const [code, entry] of Object.entries(catalog)) {
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

describe('the two error catalogues', () => {
  it('share no code: an offline-stack error never reads as one of the app', () => {
    expect(Object.keys(LOCAL_ERROR_CATALOG).filter((code) => code in ERROR_CATALOG)).toEqual([]);
  });
});
