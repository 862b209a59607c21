import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOOLS_PROJECT, parseDiagnostics, runBicep } from '../../scripts/infra/bicepCli';
import { ENTRY_TEMPLATES } from '../../scripts/infra/build';
import { INFRA_DIR, compiled } from './compiled';

const pinned = /<BicepCliVersion>([\d.]+)<\/BicepCliVersion>/.exec(readFileSync(TOOLS_PROJECT, 'utf8'))?.[1];

describe('the Bicep compiler', () => {
  it('is the pinned NuGet version, and it built the templates the tests read', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    for (const template of ['main', 'alerting'] as const) {
      const generator = compiled(template).metadata._generator;
      expect(generator.name).toBe('bicep');
      expect(generator.version.startsWith(`${pinned}.`), generator.version).toBe(true);
    }
    expect(ENTRY_TEMPLATES).toEqual(['main.bicep', 'alerting.bicep']);
  });

  describe('on a deliberately broken copy of infra/', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'infra-broken-'));
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(INFRA_DIR, copy, { recursive: true });
    const module = path.join(copy, 'modules/capture-storage.bicep');
    const lines = readFileSync(module, 'utf8').split('\n');
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    const unknownProperty = lineOf('allowBlobPublicAccess: false');
    const misspelled = lineOf('supportsHttpsTrafficOnly: true');
    const wrongType = lineOf("minimumTlsVersion: 'TLS1_2'");
    lines[unknownProperty - 1] = (lines[unknownProperty - 1] as string).replace(
      'allowBlobPublicAccess',
      'publicBlobs',
    );
    lines[misspelled - 1] = (lines[misspelled - 1] as string).replace(
      'supportsHttpsTrafficOnly',
      'supportHttpsTrafficOnly',
    );
    lines[wrongType - 1] = (lines[wrongType - 1] as string).replace("'TLS1_2'", '12');
    writeFileSync(module, lines.join('\n'));

    it('reports the unknown property (BCP037), the misspelled one (BCP089) and the wrong type (BCP036) where they are', () => {
      const run = runBicep(['build', path.join(copy, 'main.bicep'), '--stdout']);
      const found = parseDiagnostics(run.output)
        .filter((d) => d.file.endsWith(path.join('modules', 'capture-storage.bicep')))
        .map((d) => ({ code: d.code, line: d.line }));
      expect(Math.min(unknownProperty, misspelled, wrongType)).toBeGreaterThan(0);
      expect(found).toEqual(
        expect.arrayContaining([
          { code: 'BCP037', line: unknownProperty },
          { code: 'BCP089', line: misspelled },
          { code: 'BCP036', line: wrongType },
        ]),
      );
    });
  });
});
