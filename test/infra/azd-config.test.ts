import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, loadBicep, modules, outputs, params } from './bicep-text';
import { readSimpleYaml, type YamlMap } from './simple-yaml';

const ROOT = path.resolve(INFRA_DIR, '..');
const azureYaml = readSimpleYaml(readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8'));
const infra = azureYaml.infra as YamlMap;
const services = azureYaml.services as Record<string, YamlMap>;
const mainFile = `${infra.module as string}.bicep`;
const main = loadBicep(mainFile);
const parameterFile = JSON.parse(
  readFileSync(path.join(ROOT, infra.path as string, `${infra.module as string}.parameters.json`), 'utf8'),
) as { parameters: Record<string, { value: unknown }> };
const deployDoc = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');

describe('azure.yaml', () => {
  it('names the project and points azd at infra/main.bicep', () => {
    expect(azureYaml.name).toBe('alert-capture');
    expect(infra.provider).toBe('bicep');
    expect(path.resolve(ROOT, infra.path as string)).toBe(INFRA_DIR);
    expect(existsSync(path.join(INFRA_DIR, mainFile))).toBe(true);
  });

  it('deploys this package as one TypeScript function app', () => {
    expect(Object.keys(services)).toEqual(['api']);
    const api = services.api as YamlMap;
    expect(api).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    const pkg = JSON.parse(readFileSync(path.join(ROOT, api.project as string, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      main: string;
    };
    expect(pkg.scripts.build).toBeDefined();
    expect(pkg.main).toMatch(/^dist\//);
  });

  it('matches the azd-service-name tag of the function app', () => {
    const serviceName = /^var serviceName = '([^']+)'/m.exec(main.text)?.[1];
    expect(Object.keys(services)).toContain(serviceName);
    const functionApp = modules(main).find((m) => m.target === 'modules/function-app.bicep');
    expect(functionApp?.passed).toContain('serviceName');
    expect(main.text).toMatch(/^\s+serviceName: serviceName$/m);
    expect(loadBicep('modules/function-app.bicep').text).toMatch(/'azd-service-name': serviceName/);
  });
});

describe('main.bicep and main.parameters.json', () => {
  const declared = params(main);
  const mapped = parameterFile.parameters;

  it('deploys at subscription scope and creates the azd resource group', () => {
    expect(main.text).toMatch(/^targetScope = 'subscription'$/m);
    expect(main.text).toMatch(/name: 'rg-\$\{environmentName\}'/);
    expect(main.text).toMatch(/'azd-env-name': environmentName/);
  });

  it('takes the environment name and location from azd', () => {
    expect(mapped.environmentName?.value).toBe('${AZURE_ENV_NAME}');
    expect(mapped.location?.value).toBe('${AZURE_LOCATION}');
  });

  it('maps only declared parameters, and every parameter without a default', () => {
    const names = declared.map((p) => p.name);
    expect(Object.keys(mapped).filter((name) => !names.includes(name))).toEqual([]);
    const required = declared.filter((p) => !p.hasDefault).map((p) => p.name);
    expect(required.filter((name) => !(name in mapped))).toEqual([]);
  });

  it('fills each mapped parameter from one azd environment variable', () => {
    for (const [name, { value }] of Object.entries(mapped)) {
      expect(value, name).toMatch(/^\$\{[A-Z][A-Z0-9_]*\}$/);
    }
  });

  it('treats an empty mapped string as "use the default" (azd substitutes unset variables with "")', () => {
    const optionalMapped = declared.filter((p) => p.name in mapped && p.hasDefault);
    expect(optionalMapped.length).toBeGreaterThan(5);
    for (const p of optionalMapped) {
      expect(p.type, p.name).toBe('string');
      expect(p.defaultText, p.name).toBe("''");
    }
  });

  it('reports to azd the values other tools need, and no secret', () => {
    const names = outputs(main).map((o) => o.name);
    for (const expected of [
      'AZURE_LOCATION',
      'AZURE_TENANT_ID',
      'AZURE_RESOURCE_GROUP',
      'AZURE_FUNCTION_APP_NAME',
      'DURABLE_TASK_HUB',
      'APP_STORAGE_ACCOUNT_NAME',
    ]) {
      expect(names).toContain(expected);
    }
  });
});

describe('docs/deploy.md', () => {
  it('documents every parameter of main.bicep', () => {
    const missing = params(main)
      .map((p) => p.name)
      .filter((name) => !deployDoc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents the azd environment variable of every mapped parameter', () => {
    const variables = Object.values(parameterFile.parameters).map(({ value }) =>
      String(value).replace(/^\$\{|\}$/g, ''),
    );
    expect(variables.filter((v) => !deployDoc.includes(`\`${v}\``))).toEqual([]);
  });

  it('gives the deploy commands', () => {
    for (const command of ['azd auth login', 'azd up', 'azd env set CAPTURE_RESOURCE_GROUPS']) {
      expect(deployDoc).toContain(command);
    }
  });
});
