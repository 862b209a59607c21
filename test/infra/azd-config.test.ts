import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compiled, INFRA_DIR, single, snapshot } from './compiled';

const ROOT = path.resolve(INFRA_DIR, '..');
interface AzureYaml {
  name: string;
  infra: { provider: string; path: string; module: string };
  services: Record<string, { project: string; language: string; host: string }>;
  hooks: Record<string, Record<string, { run: string; continueOnError?: boolean }>>;
}
const azureYaml = parse(readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8')) as AzureYaml;
const parameterFile = JSON.parse(
  readFileSync(path.join(ROOT, azureYaml.infra.path, `${azureYaml.infra.module}.parameters.json`), 'utf8'),
) as { parameters: Record<string, { value: unknown }> };
const deployDoc = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
const main = compiled('main');
const defaults = snapshot('main-defaults');

describe('azure.yaml', () => {
  it('names the project and points azd at infra/main.bicep', () => {
    expect(azureYaml.name).toBe('alert-capture');
    expect(azureYaml.infra.provider).toBe('bicep');
    expect(path.resolve(ROOT, azureYaml.infra.path)).toBe(INFRA_DIR);
    expect(existsSync(path.join(INFRA_DIR, `${azureYaml.infra.module}.bicep`))).toBe(true);
  });

  it('deploys this package as one TypeScript function app, to the app tagged with its service name', () => {
    expect(Object.keys(azureYaml.services)).toEqual(['api']);
    expect(azureYaml.services.api).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      main: string;
    };
    expect(pkg.scripts.build).toBeDefined();
    expect(pkg.main).toMatch(/^dist\//);
    expect(single(defaults, 'Microsoft.Web/sites').tags?.['azd-service-name']).toBe('api');
  });

  it('wires the alert after every deploy, and fails the deploy when that fails', () => {
    for (const shell of ['posix', 'windows']) {
      const hook = azureYaml.hooks.postdeploy?.[shell];
      expect(hook?.run, shell).toMatch(/^npm run alert:wire/);
      expect(hook?.continueOnError, shell).toBe(false);
    }
  });
});

describe('main.bicep and main.parameters.json', () => {
  const declared = main.parameters;
  const mapped = parameterFile.parameters;

  it('deploys at subscription scope and creates the azd resource group', () => {
    expect(main.$schema).toContain('subscriptionDeploymentTemplate');
    expect(single(defaults, 'Microsoft.Resources/resourceGroups')).toMatchObject({
      name: 'rg-ci',
      tags: { 'azd-env-name': 'ci' },
    });
  });

  it('takes the environment name and location from azd', () => {
    expect(mapped.environmentName?.value).toBe('${AZURE_ENV_NAME}');
    expect(mapped.location?.value).toBe('${AZURE_LOCATION}');
  });

  it('maps only declared parameters, and every parameter without a default', () => {
    expect(Object.keys(mapped).filter((name) => !(name in declared))).toEqual([]);
    const required = Object.entries(declared).filter(([, p]) => p.defaultValue === undefined);
    expect(required.map(([name]) => name).filter((name) => !(name in mapped))).toEqual([]);
  });

  it('fills each mapped parameter from one azd environment variable', () => {
    for (const [name, { value }] of Object.entries(mapped))
      expect(value, name).toMatch(/^\$\{[A-Z][A-Z0-9_]*\}$/);
  });

  it('treats an empty mapped string as "use the default" (azd substitutes unset variables with "")', () => {
    const optionalMapped = Object.entries(declared).filter(
      ([name, p]) => name in mapped && p.defaultValue !== undefined,
    );
    expect(optionalMapped.length).toBeGreaterThan(5);
    for (const [name, p] of optionalMapped) {
      expect(p.type, name).toMatch(/^(string|securestring)$/);
      expect(p.defaultValue, name).toBe('');
    }
  });

  it('reports to azd the values other tools need', () => {
    expect(Object.keys(defaults.outputs)).toEqual(
      expect.arrayContaining([
        'AZURE_LOCATION',
        'AZURE_TENANT_ID',
        'AZURE_RESOURCE_GROUP',
        'AZURE_FUNCTION_APP_NAME',
        'DURABLE_TASK_HUB',
        'APP_STORAGE_ACCOUNT_NAME',
      ]),
    );
    expect(defaults.outputs.AZURE_RESOURCE_GROUP).toBe('rg-ci');
  });
});

describe('docs/deploy.md', () => {
  it('documents every parameter of main.bicep and of alerting.bicep', () => {
    const names = [...Object.keys(main.parameters), ...Object.keys(compiled('alerting').parameters)];
    expect(names.filter((name) => !deployDoc.includes(`\`${name}\``))).toEqual([]);
  });

  it('documents the azd environment variable of every mapped parameter and of the alert wiring', () => {
    const variables = Object.values(parameterFile.parameters).map(({ value }) =>
      String(value).replace(/^\$\{|\}$/g, ''),
    );
    const wiring =
      readFileSync(path.join(ROOT, 'scripts/wire-alert.ts'), 'utf8').match(
        /\b(?:ALERT|SECURE_WEBHOOK)_[A-Z_]+\b/g,
      ) ?? [];
    expect(wiring.length).toBeGreaterThan(3);
    expect([...variables, ...wiring].filter((v) => !deployDoc.includes(`\`${v}\``))).toEqual([]);
  });

  it('gives the deploy commands and what CI checks', () => {
    for (const text of [
      'azd auth login',
      'azd up',
      'azd env set CAPTURE_RESOURCE_GROUPS',
      'npm run infra:build',
      'what-if',
    ]) {
      expect(deployDoc).toContain(text);
    }
  });
});
