import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentArgs, wiringPlan, WiringSettingsError } from '../../scripts/wire-alert';
import { compiled, INFRA_DIR, modulesOf, ofType, single, snapshot, type ArmResource } from './compiled';

const ROOT = path.resolve(INFRA_DIR, '..');
const hostJson = JSON.parse(readFileSync(path.join(ROOT, 'host.json'), 'utf8')) as {
  extensions?: { http?: { routePrefix?: string } };
};
const plain = snapshot('alerting-function-key');
const secure = snapshot('alerting-secure-webhook');

/** The name of the function registered for the `alerts` route, read from the trigger sources. */
function registeredAlertFunction(): string | undefined {
  const dir = path.join(ROOT, 'src/triggers');
  if (!existsSync(dir)) return undefined;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  )) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/app\.http\(\s*'([^']+)'\s*,\s*\{/g)) {
      const next = source.indexOf('app.http(', m.index + 1);
      const options = source.slice(m.index, next === -1 ? undefined : next);
      const route = /route:\s*'([^']+)'/.exec(options)?.[1] ?? m[1];
      if (route === 'alerts') return m[1];
    }
  }
  return undefined;
}

type Receiver = Record<string, unknown>;
const receiversOf = (group: ArmResource, kind: string) => (group.properties?.[kind] ?? []) as Receiver[];

describe('the action group (infra/alerting.bicep, deployed after the code)', () => {
  const prefix = hostJson.extensions?.http?.routePrefix ?? 'api';

  it.each([
    ['function key only', plain],
    ['secure webhook', secure],
  ])(
    "%s: one webhook receiver with the common alert schema and the alerts function's own key",
    (_label, from) => {
      const group = single(from, 'Microsoft.Insights/actionGroups');
      expect(receiversOf(group, 'azureFunctionReceivers')).toEqual([]);
      const [receiver, ...others] = receiversOf(group, 'webhookReceivers');
      expect(others).toEqual([]);
      expect(receiver?.useCommonAlertSchema).toBe(true);
      const uri = String(receiver?.serviceUri);
      expect(uri).toContain(`https://{0}/${prefix}/alerts?code={1}`);
      // listKeys on the function itself: a function key opens this route only. A host key
      // (…/host/default) would open every function-level route, the operator routes included.
      expect(uri).toMatch(
        /listKeys\('\/subscriptions\/[^']+\/providers\/Microsoft\.Web\/sites\/func-ci\/functions\/alerts', '[\d-]+'\)\.default/,
      );
      expect(uri).not.toMatch(/\/host\/|functionKeys|masterKey|systemKeys/i);
    },
  );

  it('with secure webhook: Microsoft Entra auth for the app registration, so the token the app demands is sent', () => {
    const [receiver] = receiversOf(single(secure, 'Microsoft.Insights/actionGroups'), 'webhookReceivers');
    expect(receiver).toMatchObject({
      useAadAuth: true,
      tenantId: '11111111-1111-1111-1111-1111111111bb',
      objectId: '33333333-3333-3333-3333-3333333333cc',
      identifierUri: 'api://alert-capture',
    });
  });

  it('without secure webhook: no Entra auth', () => {
    const [receiver] = receiversOf(single(plain, 'Microsoft.Insights/actionGroups'), 'webhookReceivers');
    expect(receiver?.useAadAuth).toBe(false);
  });

  it('is fired by Network Out Total of the given VM, resolved alerts included', () => {
    const alert = single(plain, 'Microsoft.Insights/metricAlerts', 'network-out-web-1');
    expect(alert.properties).toMatchObject({
      scopes: [expect.stringMatching(/\/virtualMachines\/web-1$/)],
      autoMitigate: true,
      actions: [{ actionGroupId: single(plain, 'Microsoft.Insights/actionGroups').id }],
      criteria: {
        allOf: [
          {
            metricNamespace: 'Microsoft.Compute/virtualMachines',
            metricName: 'Network Out Total',
            timeAggregation: 'Total',
            threshold: 500000000,
          },
        ],
      },
    });
  });

  it('is not part of provisioning: main.bicep creates no action group and no alert', () => {
    for (const scenario of ['main-defaults', 'main-everything'] as const) {
      const predicted = snapshot(scenario);
      expect(ofType(predicted, 'Microsoft.Insights/actionGroups')).toEqual([]);
      expect(ofType(predicted, 'Microsoft.Insights/metricAlerts')).toEqual([]);
    }
    expect(modulesOf(compiled('main')).map((m) => m.name)).not.toContain('alerting');
  });

  const registered = registeredAlertFunction();
  it.skipIf(registered === undefined)('names the function the triggers register for the alerts route', () => {
    expect(compiled('alerting').parameters.alertFunctionName?.defaultValue).toBe(registered);
  });
});

describe('npm run alert:wire (the postdeploy hook)', () => {
  const env = {
    ALERT_TARGET_VM_ID:
      '/subscriptions/s/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-1',
    AZURE_SUBSCRIPTION_ID: 's',
    AZURE_RESOURCE_GROUP: 'rg-prod',
    AZURE_FUNCTION_APP_NAME: 'func-abc',
    AZURE_ENV_NAME: 'prod',
  };

  it('does nothing without ALERT_TARGET_VM_ID', () => {
    expect(wiringPlan({ ...env, ALERT_TARGET_VM_ID: '' })).toBeUndefined();
  });

  it('deploys infra/alerting.bicep into the app resource group with only declared parameters', () => {
    const plan = wiringPlan({ ...env, ALERT_THRESHOLD_BYTES: '1000' });
    const args = deploymentArgs(plan!);
    expect(args.slice(0, 3)).toEqual(['deployment', 'group', 'create']);
    expect(args[args.indexOf('--resource-group') + 1]).toBe('rg-prod');
    expect(args[args.indexOf('--template-file') + 1]).toBe(path.join(INFRA_DIR, 'alerting.bicep'));
    const declared = Object.keys(compiled('alerting').parameters);
    expect(Object.keys(plan!.parameters).filter((name) => !declared.includes(name))).toEqual([]);
    const required = Object.entries(compiled('alerting').parameters)
      .filter(([, p]) => p.defaultValue === undefined)
      .map(([name]) => name);
    expect(required.filter((name) => !(name in plan!.parameters))).toEqual([]);
    expect(plan!.parameters).toMatchObject({ functionAppName: 'func-abc', thresholdBytes: 1000 });
  });

  it('passes secure webhook only complete, and refuses a half-configured one', () => {
    const full = {
      ...env,
      SECURE_WEBHOOK_TENANT_ID: 't',
      SECURE_WEBHOOK_AUDIENCE: 'api://a',
      SECURE_WEBHOOK_APP_OBJECT_ID: 'o',
    };
    expect(wiringPlan(full)?.parameters).toMatchObject({
      secureWebhookTenantId: 't',
      secureWebhookAudience: 'api://a',
      secureWebhookAppObjectId: 'o',
    });
    expect(() => wiringPlan({ ...full, SECURE_WEBHOOK_APP_OBJECT_ID: '' })).toThrow(
      /SECURE_WEBHOOK_APP_OBJECT_ID/,
    );
  });

  it('refuses a target that is not a VM, and a run outside azd', () => {
    expect(() => wiringPlan({ ...env, ALERT_TARGET_VM_ID: '/subscriptions/s/resourceGroups/rg' })).toThrow(
      WiringSettingsError,
    );
    expect(() => wiringPlan({ ...env, AZURE_RESOURCE_GROUP: undefined })).toThrow(/AZURE_RESOURCE_GROUP/);
  });
});
