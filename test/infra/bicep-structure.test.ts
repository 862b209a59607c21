import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INFRA_DIR,
  allBicepFiles,
  loadBicep,
  modules,
  outputs,
  params,
  usages,
  varValue,
  type BicepFile,
} from './bicep-text';

const files = allBicepFiles();

/** Built-in role definition ids as published in the Azure RBAC built-in roles reference. */
const DOCUMENTED_BUILT_IN_ROLES: Record<string, string> = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function infraTextFiles(): { name: string; text: string }[] {
  return readdirSync(INFRA_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(bicep|json)$/.test(name))
    .map((name) => ({ name, text: readFileSync(path.join(INFRA_DIR, name), 'utf8') }));
}

/** Identifiers whose value may carry a secure parameter: the secure params and vars built from them. */
function secretCarriers(file: BicepFile): Set<string> {
  const carriers = new Set(
    params(file)
      .filter((p) => p.secure)
      .map((p) => p.name),
  );
  const vars = [...file.code.matchAll(/^var\s+(\w+)\s*=/gm)].map((m) => m[1] as string);
  for (let changed = true; changed;) {
    changed = false;
    for (const name of vars) {
      const value = varValue(file, name).code;
      if (!carriers.has(name) && [...carriers].some((c) => new RegExp(`\\b${c}\\b`).test(value))) {
        carriers.add(name);
        changed = true;
      }
    }
  }
  return carriers;
}

describe('Bicep templates, checked as text', () => {
  it('finds the templates', () => {
    expect(files.map((f) => f.name)).toContain('main.bicep');
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s: every parameter is used', (_name, file) => {
    const declared = params(file);
    expect(declared.length).toBeGreaterThan(0);
    const unused = declared.filter((p) => usages(file, p.name).length === 0).map((p) => p.name);
    expect(unused).toEqual([]);
  });

  it('describes every parameter of main.bicep (the ones an operator sets)', () => {
    const main = params(loadBicep('main.bicep'));
    expect(main.length).toBeGreaterThan(10);
    const undescribed = main.filter((p) => !p.decorators.some((d) => d.startsWith('@description(')));
    expect(undescribed.map((p) => p.name)).toEqual([]);
  });

  describe.each(files.flatMap((f) => modules(f).map((m) => [`${f.name} → ${m.symbol}`, f, m] as const)))(
    'module %s',
    (_label, file, mod) => {
      it('points at an existing file', () => {
        expect(existsSync(path.join(INFRA_DIR, mod.target))).toBe(true);
      });

      it('passes only declared parameters and every required one', () => {
        const target = params(loadBicep(mod.target));
        const declared = target.map((p) => p.name);
        expect(mod.passed.filter((name) => !declared.includes(name))).toEqual([]);
        const required = target.filter((p) => !p.hasDefault).map((p) => p.name);
        expect(required.filter((name) => !mod.passed.includes(name))).toEqual([]);
      });

      it('is deployed at the scope its file targets', () => {
        const start = file.code.indexOf(`module ${mod.symbol} `);
        const next = file.code.slice(start + 1).search(/\n(module|resource|output|var|func) /);
        const ownBody = file.code.slice(start, next === -1 ? undefined : start + 1 + next);
        const hasScope = /\n\s*scope\s*:/.test(ownBody);
        const targetScope = /^targetScope\s*=\s*'(\w+)'/m.exec(loadBicep(mod.target).text)?.[1];
        const callerScope = /^targetScope\s*=\s*'(\w+)'/m.exec(file.text)?.[1] ?? 'resourceGroup';
        expect(targetScope ?? 'resourceGroup').toBe(hasScope ? 'resourceGroup' : callerScope);
      });
    },
  );

  it('uses only documented built-in role definition ids', () => {
    const documented = new Set(Object.values(DOCUMENTED_BUILT_IN_ROLES));
    const found = infraTextFiles().flatMap(({ name, text }) =>
      [...text.matchAll(GUID)].map((m) => ({ name, guid: m[0].toLowerCase() })),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !documented.has(f.guid))).toEqual([]);
  });

  it('names each built-in role by its documented name', () => {
    const table = JSON.parse(readFileSync(path.join(INFRA_DIR, 'builtin-roles.json'), 'utf8')) as Record<
      string,
      string
    >;
    for (const [name, id] of Object.entries(table)) expect(DOCUMENTED_BUILT_IN_ROLES[name]).toBe(id);
    const referenced = files.flatMap((f) => [...f.code.matchAll(/builtInRoles\.(\w+)/g)].map((m) => m[1]));
    expect(referenced.length).toBeGreaterThan(0);
    expect(referenced.filter((name) => !(name! in table))).toEqual([]);
    const loaders = files.filter((f) => f.code.includes('builtInRoles.'));
    for (const f of loaders) expect(f.text).toMatch(/loadJsonContent\('(\.\.\/)?builtin-roles\.json'\)/);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s: no output exposes a key or secret', (_name, file) => {
    const carriers = secretCarriers(file);
    for (const output of outputs(file)) {
      expect(output.name).not.toMatch(/key|secret|password|connection|sas|token|credential/i);
      expect(output.expression).not.toMatch(
        /\blist\w*\(|connectionString|instrumentationKey|primaryKey|secondaryKey|\.keys\b|secretUri|password|sasToken/i,
      );
      const leaked = [...carriers].filter((c) => new RegExp(`\\b${c}\\b`).test(output.expression));
      expect(leaked, `output ${output.name}`).toEqual([]);
    }
  });

  it('treats the notification URLs and secret as secure parameters', () => {
    const main = loadBicep('main.bicep');
    const secure = params(main)
      .filter((p) => p.secure)
      .map((p) => p.name);
    expect(secure.sort()).toEqual([
      'notifySlackUrl',
      'notifyTeamsUrl',
      'notifyWebhookSecret',
      'notifyWebhookUrl',
    ]);
    expect(params(main).filter((p) => p.secure && p.defaultText !== "''")).toEqual([]);
    expect([...secretCarriers(main)]).toContain('notificationSettings');
  });
});
