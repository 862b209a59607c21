import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SETTINGS } from '../../src/config';
import { loadBicep, modules, objectKeys, params, varValue, type ParamDecl } from './bicep-text';

/** Settings the Functions host and its extensions read, not the app (see src/config.ts for those). */
const HOST_SETTINGS = [
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

/** Flex Consumption sets these through functionAppConfig and rejects them as app settings. */
const REJECTED_BY_FLEX = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
];

/** Only for the offline stack, or right by default in Azure: the deployment leaves them unset. */
const OFFLINE_ONLY = ['CAPTURE_STORAGE_CONNECTION', 'EMULATOR_CA_CERT', 'ARM_ENDPOINT'];

type SettingSpec = { schema: z.ZodType; default?: string; secret?: boolean };
const specs = SETTINGS as Record<string, SettingSpec>;

const main = loadBicep('main.bicep');
const functionAppFile = loadBicep('modules/function-app.bicep');
const mainParams = new Map(params(main).map((p) => [p.name, p]));

/** The var names whose union becomes the site's app settings, read from the templates. */
function settingSources(): { file: typeof main; vars: string[] }[] {
  const passed = /\n\s+appSettings: union\(([^)]*)\)/.exec(main.code)?.[1];
  const applied = /name: 'appsettings'\s*\n\s*properties: union\(([^)]*)\)/.exec(functionAppFile.text)?.[1];
  if (!passed || !applied) throw new Error('app settings are no longer assembled where this test looks');
  const split = (list: string) => list.split(',').map((s) => s.trim());
  expect(split(applied)).toContain('appSettings');
  return [
    { file: main, vars: split(passed) },
    { file: functionAppFile, vars: split(applied).filter((name) => name !== 'appSettings') },
  ];
}

const assignments = settingSources().flatMap(({ file, vars }) =>
  vars.flatMap((name) => {
    const value = varValue(file, name);
    return objectKeys(value.code).map((setting) => {
      const at = value.code.search(new RegExp(`\\b${setting}\\s*:`));
      const rest = value.text.slice(at);
      return { setting, expression: /:\s*(.*)$/m.exec(rest)?.[1]?.trim() ?? '' };
    });
  }),
);
const setNames = assignments.map((a) => a.setting);

function accepts(name: string, value: string): boolean {
  return (specs[name] as SettingSpec).schema.safeParse(value).success;
}

function numberDecorator(p: ParamDecl, decorator: string): number | undefined {
  const m = new RegExp(`^@${decorator}\\((\\d+)\\)$`).exec(
    p.decorators.find((d) => d.startsWith(`@${decorator}(`)) ?? '',
  );
  return m ? Number(m[1]) : undefined;
}

describe('app settings set by the Bicep', () => {
  it('are read from the templates', () => {
    expect(setNames.length).toBeGreaterThan(15);
    expect(new Set(setNames).size).toBe(setNames.length);
  });

  it('are all settings of src/config.ts or Functions host settings', () => {
    expect(setNames.filter((name) => !(name in specs) && !HOST_SETTINGS.includes(name))).toEqual([]);
  });

  it('include every setting src/config.ts requires (no default, not optional)', () => {
    const required = Object.entries(specs)
      .filter(([, spec]) => spec.default === undefined && !spec.schema.safeParse(undefined).success)
      .map(([name]) => name);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !setNames.includes(name))).toEqual([]);
  });

  it('never include settings Flex Consumption rejects or the offline stack uses', () => {
    expect(setNames.filter((name) => [...REJECTED_BY_FLEX, ...OFFLINE_ONLY].includes(name))).toEqual([]);
  });

  it('run the app and the host on the user-assigned identity', () => {
    const value = (name: string) => assignments.find((a) => a.setting === name)?.expression;
    expect(value('AZURE_CREDENTIAL_MODE')).toBe("'managedIdentity'");
    expect(value('MANAGED_IDENTITY_CLIENT_ID')).toBe('identity.outputs.clientId');
    expect(value('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
    expect(value('AzureWebJobsStorage__clientId')).toBe('identityClientId');
    expect(value('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toContain('Authorization=AAD');
  });

  it('pass secret settings only as Key Vault references', () => {
    const secrets = assignments.filter((a) => specs[a.setting]?.secret);
    expect(secrets.length).toBeGreaterThan(0);
    for (const { setting, expression } of secrets)
      expect(expression, setting).toMatch(/^keyVaultReference\(/);
    const referenced = [
      ...main.text.matchAll(/keyVaultReference\(keyVault\.outputs\.name, '([^']+)'\)/g),
    ].map((m) => m[1]);
    const keyVault = modules(main).find((m) => m.target === 'modules/key-vault.bicep');
    expect(keyVault?.passed).toContain('secrets');
    const secretsBlock = /\n\s+secrets: \{([^}]*)\}/.exec(main.text)?.[1] ?? '';
    const stored = [...secretsBlock.matchAll(/'([a-z0-9-]+)': (\w+)/g)];
    expect(stored.map((m) => m[1]).sort()).toEqual([...referenced].sort());
    for (const [, name, source] of stored) expect(mainParams.get(source as string)?.secure, name).toBe(true);
  });

  it('give values src/config.ts accepts: literals, and the range of each parameter feeding one', () => {
    let checked = 0;
    for (const { setting, expression } of assignments.filter((a) => a.setting in specs)) {
      // Literals are whole values only where no function other than empty() builds the value.
      const literals = /\b(?!empty\b)\w+\(/.test(expression) ? [] : [...expression.matchAll(/'([^'$]*)'/g)];
      for (const literal of literals) {
        expect(accepts(setting, literal[1] as string), `${setting} = '${literal[1]}'`).toBe(true);
        checked++;
      }
      for (const [, name] of expression.matchAll(/\b(\w+)\b/g)) {
        const p = mainParams.get(name as string);
        if (!p) continue;
        const samples: [string, boolean][] = [];
        const min = numberDecorator(p, 'minValue');
        const max = numberDecorator(p, 'maxValue');
        if (min !== undefined) samples.push([String(min), true], [String(min - 1), false]);
        if (max !== undefined) samples.push([String(max), true], [String(max + 1), false]);
        if (p.type === 'int' && p.defaultText) samples.push([p.defaultText, true]);
        const allowed = /^@allowed\(\[(.*)\]\)$/.exec(
          p.decorators.find((d) => d.startsWith('@allowed(')) ?? '',
        );
        const allowedValues = allowed?.[1]?.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1')) ?? [];
        for (const value of allowedValues.filter(Boolean)) samples.push([value, true]);
        for (const [value, ok] of samples) {
          expect(accepts(setting, value), `${setting} from ${name} = ${value}`).toBe(ok);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
