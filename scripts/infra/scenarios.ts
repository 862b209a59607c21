/**
 * Parameter sets the infra build evaluates with `bicep snapshot` (the ARM template engine inside
 * the Bicep CLI expands every module for these values). The infra tests read the snapshots: what
 * would be deployed, resource by resource, not the template's text.
 */
export const SUBSCRIPTION_ID = '00000000-0000-0000-0000-0000000000aa';
export const TENANT_ID = '11111111-1111-1111-1111-1111111111bb';
export const LOCATION = 'westeurope';
export const APP_RESOURCE_GROUP = 'rg-ci';
const VM_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-1`;

export interface Scenario {
  /** File name of the snapshot, without extension. */
  name: string;
  /** Entry template under infra/. */
  template: 'main.bicep' | 'alerting.bicep';
  /** Resource group of a resource-group-scoped entry template. */
  resourceGroup?: string;
  params: Record<string, string | number | boolean>;
}

export const SCENARIOS = [
  {
    name: 'main-defaults',
    template: 'main.bicep',
    params: { environmentName: 'ci', location: LOCATION, captureResourceGroups: 'rg-web, rg-db' },
  },
  {
    name: 'main-everything',
    template: 'main.bicep',
    params: {
      environmentName: 'ci',
      location: LOCATION,
      captureResourceGroups: 'rg-web,rg-db',
      // rg-web is also a capture group: only rg-net gets the network interface reader.
      networkResourceGroups: 'rg-net, rg-web',
      captureLocation: 'northeurope',
      autoInstallAgent: 'true',
      resolvedAlertAction: 'stop',
      secureWebhookTenantId: TENANT_ID,
      secureWebhookAudience: 'api://alert-capture',
      secureWebhookRole: 'ActionGroupsSecureWebhook',
      // No notification secrets: the engine keeps secure values unknown, so a loop over the given
      // ones cannot be expanded in a snapshot (a real deployment knows them).
    },
  },
  {
    name: 'alerting-function-key',
    template: 'alerting.bicep',
    resourceGroup: APP_RESOURCE_GROUP,
    params: {
      environmentName: 'ci',
      functionAppName: 'func-ci',
      targetVmId: VM_ID,
      actionGroupName: 'ag-ci',
    },
  },
  {
    name: 'alerting-secure-webhook',
    template: 'alerting.bicep',
    resourceGroup: APP_RESOURCE_GROUP,
    params: {
      environmentName: 'ci',
      functionAppName: 'func-ci',
      targetVmId: VM_ID,
      actionGroupName: 'ag-ci',
      secureWebhookTenantId: TENANT_ID,
      secureWebhookAudience: 'api://alert-capture',
      secureWebhookAppObjectId: '33333333-3333-3333-3333-3333333333cc',
    },
  },
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof SCENARIOS)[number]['name'];

/** A Bicep literal for a parameter value. */
function literal(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

/** The .bicepparam text of a scenario, `using` the template at `usingPath`. */
export function bicepparam(scenario: Scenario, usingPath: string): string {
  const lines = [`using '${usingPath}'`, ''];
  for (const [name, value] of Object.entries(scenario.params))
    lines.push(`param ${name} = ${literal(value)}`);
  return `${lines.join('\n')}\n`;
}
