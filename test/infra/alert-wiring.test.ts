import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, loadBicep, modules, params } from './bicep-text';

const ROOT = path.resolve(INFRA_DIR, '..');
const alerting = loadBicep('modules/alerting.bicep');
const main = loadBicep('main.bicep');
const hostJson = JSON.parse(readFileSync(path.join(ROOT, 'host.json'), 'utf8')) as {
  extensions?: { http?: { routePrefix?: string } };
};

/** The name of the function registered for the `alerts` route, if the triggers are written yet. */
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

describe('the example alert and its action group', () => {
  it('calls POST /api/alerts with the function key and the common alert schema', () => {
    const prefix = hostJson.extensions?.http?.routePrefix ?? 'api';
    expect(alerting.text).toMatch(
      new RegExp(
        `httpTriggerUrl: 'https://\\$\\{site\\.properties\\.defaultHostName\\}/${prefix}/alerts\\?code=`,
      ),
    );
    expect(alerting.text).toMatch(
      /listKeys\('\$\{site\.id\}\/host\/default', '[\d-]+'\)\.functionKeys\.default/,
    );
    expect(alerting.text).toMatch(/useCommonAlertSchema: true/);
    expect(alerting.text).toMatch(/functionAppResourceId: site\.id/);
  });

  it('watches Network Out Total of the given VM and sends resolved alerts too', () => {
    expect(alerting.text).toMatch(/metricNamespace: 'Microsoft\.Compute\/virtualMachines'/);
    expect(alerting.text).toMatch(/metricName: 'Network Out Total'/);
    expect(alerting.text).toMatch(/timeAggregation: 'Total'/);
    expect(alerting.text).toMatch(/scopes: \[targetVmId\]/);
    expect(alerting.text).toMatch(/autoMitigate: true/);
    expect(alerting.text).toMatch(/actionGroupId: actionGroup\.id/);
  });

  it('is created only when a VM is given', () => {
    expect(main.text).toMatch(
      /^module alerting 'modules\/alerting\.bicep' = if \(!empty\(alertTargetVmId\)\) \{/m,
    );
    expect(modules(main).find((m) => m.symbol === 'alerting')?.passed).toContain('targetVmId');
  });

  const registered = registeredAlertFunction();
  it.skipIf(registered === undefined)('names the function the triggers register for the alerts route', () => {
    const declared = params(main).find((p) => p.name === 'alertFunctionName');
    expect(declared?.defaultText).toBe(`'${registered}'`);
  });
});
