import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../../src/config';
import { ConfigError } from '../../src/errors/ConfigError';

const SUB = '00000000-0000-0000-0000-000000000000';
const minimal = {
  CAPTURE_STORAGE_ACCOUNT_ID: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcaptures`,
  ALLOWED_SCOPES: `/subscriptions/${SUB}/resourceGroups/rg-web, /subscriptions/${SUB}`,
};

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies defaults and parses lists, numbers and booleans', () => {
    const config = loadConfig({ ...minimal, AUTO_INSTALL_AGENT: 'true', CAPTURE_SESSION_LIMIT: '7' });
    expect(config.ALLOWED_SCOPES).toEqual([
      `/subscriptions/${SUB}/resourceGroups/rg-web`,
      `/subscriptions/${SUB}`,
    ]);
    expect(config.CAPTURE_TIME_LIMIT_SECONDS).toBe(300);
    expect(config.CAPTURE_BYTES_PER_SESSION).toBe(1073741824);
    expect(config.CAPTURE_SESSION_LIMIT).toBe(7);
    expect(config.AUTO_INSTALL_AGENT).toBe(true);
    expect(config.CAPTURE_DEFAULT_FILTERS).toEqual([]);
    expect(config.AZURE_CREDENTIAL_MODE).toBe('managedIdentity');
    expect(config.ARM_ENDPOINT).toBe('https://management.azure.com');
  });

  it('names every missing required setting with an example', () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.setting).sort()).toEqual(['ALLOWED_SCOPES', 'CAPTURE_STORAGE_ACCOUNT_ID']);
    for (const p of problems) {
      expect(p.problem).toBe('is required but not set');
      expect(p.example).toBe(SETTINGS[p.setting as keyof typeof SETTINGS].example);
    }
  });

  it('reports malformed values with what is wrong', () => {
    const problems = problemsOf({
      ...minimal,
      CAPTURE_TIME_LIMIT_SECONDS: '18001',
      ALLOWED_SCOPES: '/subscriptions/not-a-guid',
      CAPTURE_DEFAULT_FILTERS: '{oops',
      ARM_ENDPOINT: 'http://127.0.0.1:8080',
    });
    const bySetting = Object.fromEntries(problems.map((p) => [p.setting, p.problem]));
    expect(Object.keys(bySetting).sort()).toEqual([
      'ALLOWED_SCOPES',
      'ARM_ENDPOINT',
      'CAPTURE_DEFAULT_FILTERS',
      'CAPTURE_TIME_LIMIT_SECONDS',
    ]);
    expect(bySetting.ALLOWED_SCOPES).toContain('/subscriptions/{id}');
    expect(bySetting.CAPTURE_DEFAULT_FILTERS).toContain('JSON array');
  });

  it('checks the default filters against the filter rules and keeps them normalised', () => {
    const problems = problemsOf({
      ...minimal,
      CAPTURE_DEFAULT_FILTERS:
        '[{"protocol":"ICMP","remotePort":"80-85;443"},{"localIPAddress":"10.0.0.300"}]',
    });
    const filters = problems.find((p) => p.setting === 'CAPTURE_DEFAULT_FILTERS');
    expect(filters?.problem).toMatch(/filter 0 protocol "ICMP" must be TCP, UDP or Any/);
    expect(filters?.problem).toMatch(/filter 0 remotePort/);
    expect(filters?.problem).toMatch(/filter 1 localIPAddress "10\.0\.0\.300"/);
    expect(problemsOf({ ...minimal, CAPTURE_DEFAULT_FILTERS: '{"protocol":"TCP"}' })[0]?.problem).toContain(
      'JSON array',
    );
    const config = loadConfig({
      ...minimal,
      CAPTURE_DEFAULT_FILTERS: '[{"protocol":"tcp","remotePort":" 443 ","localPort":""}]',
    });
    expect(config.CAPTURE_DEFAULT_FILTERS).toEqual([{ protocol: 'TCP', remotePort: '443' }]);
  });

  it('puts every problem in the error message, one line each', () => {
    expect(() => loadConfig({ CAPTURE_SESSION_LIMIT: '0' })).toThrow(
      /CAPTURE_STORAGE_ACCOUNT_ID is required[\s\S]*ALLOWED_SCOPES is required[\s\S]*CAPTURE_SESSION_LIMIT/,
    );
  });

  it('checks settings that only make sense together', () => {
    const problems = problemsOf({
      ...minimal,
      SECURE_WEBHOOK_TENANT_ID: '22222222-2222-2222-2222-222222222222',
      EMULATOR_CA_CERT: 'cert.pem',
      NOTIFY_WEBHOOK_SECRET: 'a-long-random-shared-secret',
    });
    expect(problems.map((p) => p.setting).sort()).toEqual([
      'EMULATOR_CA_CERT',
      'NOTIFY_WEBHOOK_URL',
      'SECURE_WEBHOOK_AUDIENCE',
    ]);
  });

  it('never echoes a secret value in its message', () => {
    const secretUrl = 'http://hooks.example.com/services/T000/SECRET-TOKEN';
    expect(() => loadConfig({ ...minimal, NOTIFY_SLACK_URL: secretUrl, NOTIFY_TEAMS_URL: 'nope' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ ...minimal, NOTIFY_TEAMS_URL: 'not a url SECRET-TOKEN' });
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET-TOKEN');
    }
  });
});
