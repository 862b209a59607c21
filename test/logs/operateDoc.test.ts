import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config';
import { LOG_EVENTS } from '../../src/runtime/invocationLog';
import { ERROR_CATALOG } from '../../src/errors/catalog';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'operate.md'), 'utf8');

/** The events named in the first column of the doc's event table. */
function documentedEvents(): Set<string> {
  const table = /\| Event +\|[\s\S]*?\n\n/.exec(doc)?.[0] ?? '';
  const firstColumns = table.split('\n').map((row) => row.split('|')[1] ?? '');
  return new Set(
    firstColumns.flatMap((cell) => [...cell.matchAll(/`([a-z]+\.[A-Za-z]+)`/g)].map((m) => m[1]!)),
  );
}

describe('docs/operate.md', () => {
  it('lists exactly the events the app logs', () => {
    // A log takes only the events of LOG_EVENTS (the compiler checks every call).
    const logged = new Set<string>(LOG_EVENTS);
    expect(logged.size).toBeGreaterThan(25);
    expect([...documentedEvents()].sort()).toEqual([...logged].sort());
  });

  it('names only error codes of the catalogue, app settings, and the azd names it really has', () => {
    const mainBicep = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    const parameters = readFileSync(join(ROOT, 'infra', 'main.parameters.json'), 'utf8');
    const uploadScript = readFileSync(join(ROOT, 'scripts', 'upload-dfmon-tab.ts'), 'utf8');
    const known = (name: string): boolean =>
      name in ERROR_CATALOG ||
      name in SETTINGS ||
      (name.endsWith('_*') && Object.keys(SETTINGS).some((s) => s.startsWith(name.slice(0, -1)))) ||
      new RegExp(`^output ${name} `, 'm').test(mainBicep) ||
      parameters.includes(`\${${name}}`) ||
      uploadScript.includes(`'${name}'`);
    const names = [...new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]{3,}\*?)`/g)].map((m) => m[1]!))];
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !known(name))).toEqual([]);
  });
});
