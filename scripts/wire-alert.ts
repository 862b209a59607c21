/**
 * `npm run alert:wire`: deploys infra/alerting.bicep (the action group and the example metric
 * alert) into the app's resource group. Runs as the azd `postdeploy` hook, because the action
 * group needs the `alerts` function's own key, and a function has a key only once its code is
 * deployed and loaded; the template reads that key inside ARM, so it never passes through here.
 * Uses the Azure CLI (`az deployment group create`), signed in with `az login`.
 *
 * Reads the azd environment: ALERT_TARGET_VM_ID (none: nothing to wire, exit 0),
 * AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME, AZURE_ENV_NAME,
 * ALERT_THRESHOLD_BYTES (optional), and for secure webhook SECURE_WEBHOOK_TENANT_ID,
 * SECURE_WEBHOOK_AUDIENCE and SECURE_WEBHOOK_APP_OBJECT_ID (all three, or none).
 *
 * Exit code: 0 wired or nothing to wire, 1 the deployment failed, 2 missing or bad settings.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export class WiringSettingsError extends Error {
  override readonly name = 'WiringSettingsError';
}

export interface WiringPlan {
  subscriptionId: string;
  resourceGroup: string;
  parameters: Record<string, string | number>;
}

const SECURE_WEBHOOK = {
  secureWebhookTenantId: 'SECURE_WEBHOOK_TENANT_ID',
  secureWebhookAudience: 'SECURE_WEBHOOK_AUDIENCE',
  secureWebhookAppObjectId: 'SECURE_WEBHOOK_APP_OBJECT_ID',
} as const;

/** What to deploy, from the azd environment; undefined when no alert target is set. */
export function wiringPlan(env: Record<string, string | undefined>): WiringPlan | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const targetVmId = value('ALERT_TARGET_VM_ID');
  if (!targetVmId) return undefined;
  if (
    !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i.test(
      targetVmId,
    )
  ) {
    throw new WiringSettingsError(`ALERT_TARGET_VM_ID is not a virtual machine resource id: ${targetVmId}`);
  }
  const required = [
    'AZURE_SUBSCRIPTION_ID',
    'AZURE_RESOURCE_GROUP',
    'AZURE_FUNCTION_APP_NAME',
    'AZURE_ENV_NAME',
  ];
  const missing = required.filter((name) => !value(name));
  if (missing.length > 0) {
    throw new WiringSettingsError(
      `missing ${missing.join(', ')}: run this as the azd postdeploy hook, after azd provision`,
    );
  }
  const parameters: WiringPlan['parameters'] = {
    environmentName: value('AZURE_ENV_NAME') as string,
    functionAppName: value('AZURE_FUNCTION_APP_NAME') as string,
    targetVmId,
    actionGroupName: `ag-${value('AZURE_FUNCTION_APP_NAME') as string}`,
  };
  const threshold = value('ALERT_THRESHOLD_BYTES');
  if (threshold !== undefined) {
    if (!/^[1-9]\d*$/.test(threshold))
      throw new WiringSettingsError(`ALERT_THRESHOLD_BYTES must be a whole number above 0: ${threshold}`);
    parameters.thresholdBytes = Number(threshold);
  }
  const secure = Object.entries(SECURE_WEBHOOK).map(
    ([parameter, name]) => [parameter, name, value(name)] as const,
  );
  const given = secure.filter(([, , v]) => v !== undefined);
  if (given.length > 0 && given.length < secure.length) {
    const absent = secure.filter(([, , v]) => v === undefined).map(([, name]) => name);
    throw new WiringSettingsError(
      `secure webhook needs ${Object.values(SECURE_WEBHOOK).join(', ')}; missing ${absent.join(', ')}`,
    );
  }
  for (const [parameter, , v] of given) parameters[parameter] = v as string;
  return {
    subscriptionId: value('AZURE_SUBSCRIPTION_ID') as string,
    resourceGroup: value('AZURE_RESOURCE_GROUP') as string,
    parameters,
  };
}

/** The `az` arguments that deploy the plan. No secret is among them: the key is read by ARM. */
export function deploymentArgs(plan: WiringPlan): string[] {
  return [
    'deployment',
    'group',
    'create',
    '--subscription',
    plan.subscriptionId,
    '--resource-group',
    plan.resourceGroup,
    '--name',
    'alert-capture-alerting',
    '--template-file',
    path.join(ROOT, 'infra/alerting.bicep'),
    '--parameters',
    ...Object.entries(plan.parameters).map(([name, v]) => `${name}=${v}`),
    '--only-show-errors',
    '--output',
    'none',
  ];
}

function main(): number {
  let plan;
  try {
    plan = wiringPlan(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (!plan) {
    console.log('ALERT_TARGET_VM_ID is not set: no example alert to wire.');
    return 0;
  }
  console.log(
    `Wiring the example alert on ${plan.parameters.targetVmId} to ${plan.parameters.functionAppName}`,
  );
  const run = spawnSync('az', deploymentArgs(plan), {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (run.error) {
    console.error(`could not run the Azure CLI (az): ${run.error.message}`);
    return 1;
  }
  return run.status ?? 1;
}

if (require.main === module) process.exitCode = main();
