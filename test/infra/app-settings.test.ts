import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SETTINGS } from '../../src/config';
import { compiled, modulesOf, single, snapshot } from './compiled';

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

/** main.bicep parameters that become one app setting each, as a string. */
const FROM_PARAMETER: Record<string, string> = {
  captureTimeLimitSeconds: 'CAPTURE_TIME_LIMIT_SECONDS',
  captureBytesPerPacket: 'CAPTURE_BYTES_PER_PACKET',
  captureBytesPerSession: 'CAPTURE_BYTES_PER_SESSION',
  captureSessionLimit: 'CAPTURE_SESSION_LIMIT',
  downloadLinkTtlMinutes: 'DOWNLOAD_LINK_TTL_MINUTES',
};

type SettingSpec = { schema: z.ZodType; default?: string; secret?: boolean };
const specs = SETTINGS as Record<string, SettingSpec>;
const accepts = (name: string, value: string) => (specs[name] as SettingSpec).schema.safeParse(value).success;
const settingsOf = (scenario: 'main-defaults' | 'main-everything') =>
  single(snapshot(scenario), 'Microsoft.Web/sites/config', '/appsettings').properties as Record<
    string,
    string
  >;
/** A value the engine could evaluate before deploying (not a reference to a resource created by it). */
const isLiteral = (value: string) => !value.startsWith('[');

describe('app settings the deployment sets', () => {
  const defaults = settingsOf('main-defaults');
  const everything = settingsOf('main-everything');
  const names = Object.keys(everything);

  it('are all settings of src/config.ts or Functions host settings', () => {
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((name) => !(name in specs) && !HOST_SETTINGS.includes(name))).toEqual([]);
    expect(HOST_SETTINGS.filter((name) => !names.includes(name))).toEqual([]);
  });

  it('include every setting src/config.ts requires (no default, not optional)', () => {
    const required = Object.entries(specs)
      .filter(([, spec]) => spec.default === undefined && !spec.schema.safeParse(undefined).success)
      .map(([name]) => name);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !(name in defaults))).toEqual([]);
  });

  it('never include settings Flex Consumption rejects or the offline stack uses', () => {
    expect(names.filter((name) => [...REJECTED_BY_FLEX, ...OFFLINE_ONLY].includes(name))).toEqual([]);
  });

  it('hold values src/config.ts accepts, in both scenarios', () => {
    let checked = 0;
    for (const settings of [defaults, everything]) {
      for (const [name, value] of Object.entries(settings).filter(([n, v]) => n in specs && isLiteral(v))) {
        expect(accepts(name, value), `${name} = ${value}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(everything).toMatchObject({ AUTO_INSTALL_AGENT: 'true', RESOLVED_ALERT_ACTION: 'stop' });
    expect(everything.ALLOWED_SCOPES?.split(',').map((scope) => scope.split('/').at(-1))).toEqual([
      'rg-web',
      'rg-db',
    ]);
  });

  it('turn each numeric parameter into its setting, over a range src/config.ts accepts exactly', () => {
    const parameters = compiled('main').parameters;
    for (const [parameter, setting] of Object.entries(FROM_PARAMETER)) {
      const p = parameters[parameter];
      expect(p?.type, parameter).toBe('int');
      expect(defaults[setting], setting).toBe(String(p?.defaultValue));
      for (const [value, ok] of [
        [p?.minValue, true],
        [p?.maxValue, true],
        [(p?.minValue as number) - 1, false],
        [(p?.maxValue as number) + 1, false],
      ] as const) {
        expect(accepts(setting, String(value)), `${setting} from ${parameter} = ${value}`).toBe(ok);
      }
    }
  });

  it('run the app and the host on the user-assigned identity', () => {
    const clientId = expect.stringMatching(/userAssignedIdentities\/id-[a-z0-9]+', '[\d-]+'\)\.clientId\]$/);
    expect(defaults).toMatchObject({
      AZURE_CREDENTIAL_MODE: 'managedIdentity',
      MANAGED_IDENTITY_CLIENT_ID: clientId,
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: clientId,
    });
    expect(defaults.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toContain('Authorization=AAD');
  });

  it('pass the secure webhook settings through only when given', () => {
    expect(Object.keys(defaults).filter((name) => name.startsWith('SECURE_WEBHOOK_'))).toEqual([]);
    expect(everything).toMatchObject({
      SECURE_WEBHOOK_TENANT_ID: '11111111-1111-1111-1111-1111111111bb',
      SECURE_WEBHOOK_AUDIENCE: 'api://alert-capture',
      SECURE_WEBHOOK_ROLE: 'ActionGroupsSecureWebhook',
    });
  });

  it('pass secret settings only as Key Vault references to secure parameters, and none that was not given', () => {
    const secrets = Object.keys(specs).filter((name) => specs[name]?.secret && !OFFLINE_ONLY.includes(name));
    expect(secrets.length).toBeGreaterThan(0);
    expect(Object.keys(defaults).filter((name) => secrets.includes(name))).toEqual([]);
    // The engine keeps secure values unknown, so the wiring is read from the compiled template:
    // each entry pairs a Key Vault secret, its setting and the secure parameter that decides it.
    const template = compiled('main');
    const entries = [
      ...String(template.variables.notificationSecrets).matchAll(
        /createObject\('secret', '([^']+)', 'setting', '([^']+)', 'given', not\(empty\(parameters\('(\w+)'\)\)\)\)/g,
      ),
    ].map(([, secret, setting, parameter]) => ({ secret, setting, parameter }));
    expect(entries.map((e) => e.setting).sort()).toEqual([...secrets].sort());
    for (const { parameter } of entries)
      expect(template.parameters[parameter as string]?.type).toBe('securestring');
    const keyVault = modulesOf(template).find((m) => m.name === 'key-vault');
    const values = (keyVault?.properties?.parameters?.secretValues as { value: Record<string, string> })
      .value;
    for (const { secret, parameter } of entries)
      expect(values[secret as string]).toBe(`[parameters('${parameter}')]`);
    expect(keyVault?.properties?.template?.parameters.secretValues?.type).toBe('secureObject');
  });
});
