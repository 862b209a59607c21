import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiled, INFRA_DIR, ofType, single, snapshot } from './compiled';

const defaults = snapshot('main-defaults');
const everything = snapshot('main-everything');
const hostJson = JSON.parse(readFileSync(path.resolve(INFRA_DIR, '../host.json'), 'utf8')) as {
  extensions: { durableTask: { storageProvider?: { maxQueuePollingInterval?: string } } };
};
const captureAccount = (from = defaults) => single(from, 'Microsoft.Storage/storageAccounts', '', 'stcap');

/** `hh:mm:ss` to seconds. */
const seconds = (span: string) => span.split(':').reduce((total, part) => total * 60 + Number(part), 0);

describe('Flex Consumption for Durable Functions', () => {
  const site = single(defaults, 'Microsoft.Web/sites');
  const scale = (site.properties as { functionAppConfig: { scaleAndConcurrency: Record<string, unknown> } })
    .functionAppConfig.scaleAndConcurrency;

  it('keeps an instance of the durable group always ready, so an alert never waits for a scale from zero', () => {
    expect(scale.alwaysReady).toEqual([{ name: 'durable', instanceCount: 1 }]);
    expect(compiled('main').parameters.durableAlwaysReadyInstances?.minValue).toBe(1);
  });

  it('polls the task hub queues at most 10 s apart when idle (host.json)', () => {
    const interval = hostJson.extensions.durableTask.storageProvider?.maxQueuePollingInterval;
    expect(interval).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(seconds(interval as string)).toBeGreaterThan(0);
    expect(seconds(interval as string)).toBeLessThanOrEqual(10);
  });

  it('bounds the maximum instance count to what the platform accepts (40 to 1000)', () => {
    const p = compiled('main').parameters.maximumInstanceCount;
    expect(p).toMatchObject({ minValue: 40, maxValue: 1000, defaultValue: 40 });
    expect(scale.maximumInstanceCount).toBe(40);
  });
});

describe('capture storage, kept as evidence', () => {
  it('allows no anonymous access, TLS 1.2 and HTTPS only; shared key on for this account alone', () => {
    expect(captureAccount().properties).toMatchObject({
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
      // Network Watcher writes the capture file with a SAS derived from the account keys.
      allowSharedKeyAccess: true,
    });
    const container = single(
      defaults,
      'Microsoft.Storage/storageAccounts/blobServices/containers',
      '/network-watcher-logs',
    );
    expect(container.properties).toMatchObject({ publicAccess: 'None' });
  });

  it('keeps every overwritten or deleted capture restorable: versioning and blob and container soft delete', () => {
    const service = single(defaults, 'Microsoft.Storage/storageAccounts/blobServices', '/default', 'stcap');
    expect(service.properties).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 7 },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
  });

  it('deletes captures, and their versions, after the retention period', () => {
    const policy = single(defaults, 'Microsoft.Storage/storageAccounts/managementPolicies', '', 'stcap');
    const [rule] = (policy.properties as { policy: { rules: { definition: Record<string, unknown> }[] } })
      .policy.rules;
    expect(rule?.definition).toMatchObject({
      filters: { prefixMatch: ['network-watcher-logs/'] },
      actions: {
        baseBlob: { delete: { daysAfterModificationGreaterThan: 30 } },
        version: { delete: { daysAfterCreationGreaterThan: 30 } },
      },
    });
  });

  it("lives in the VMs' region", () => {
    expect(captureAccount(everything).location).toBe('northeurope');
    expect(captureAccount(defaults).location).toBe('westeurope');
  });
});

describe('what already held', () => {
  it('Key Vault: RBAC, soft delete and purge protection', () => {
    expect(single(defaults, 'Microsoft.KeyVault/vaults').properties).toMatchObject({
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      enablePurgeProtection: true,
    });
  });

  it('function app: HTTPS only, TLS 1.2, no FTP or SCM basic auth', () => {
    expect(single(defaults, 'Microsoft.Web/sites').properties).toMatchObject({
      httpsOnly: true,
      siteConfig: { minTlsVersion: '1.2' },
    });
    for (const policy of ofType(defaults, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies')) {
      expect(policy.properties, policy.name).toEqual({ allow: false });
    }
    expect(
      ofType(defaults, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies')
        .map((p) => p.name.split('/')[1])
        .sort(),
    ).toEqual(['ftp', 'scm']);
  });

  it('app storage: identity access only, no anonymous access; Application Insights: no local auth', () => {
    const appAccount = ofType(defaults, 'Microsoft.Storage/storageAccounts').find(
      (a) => !a.name.startsWith('stcap'),
    );
    expect(appAccount?.properties).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
    });
    expect(single(defaults, 'Microsoft.Insights/components').properties).toMatchObject({
      DisableLocalAuth: true,
    });
  });
});

describe('parameters and outputs', () => {
  const main = compiled('main');

  it('describe every parameter an operator sets', () => {
    for (const template of [main, compiled('alerting')]) {
      const undescribed = Object.entries(template.parameters).filter(([, p]) => !p.metadata?.description);
      expect(undescribed.map(([name]) => name)).toEqual([]);
    }
    expect(main.parameters.networkResourceGroups).toMatchObject({ type: 'string', defaultValue: '' });
  });

  it('keep the notification URLs and secret secure, with empty defaults', () => {
    const secure = Object.entries(main.parameters).filter(([, p]) => p.type.startsWith('secure'));
    expect(secure.map(([name]) => name).sort()).toEqual([
      'notifySlackUrl',
      'notifyTeamsUrl',
      'notifyWebhookSecret',
      'notifyWebhookUrl',
    ]);
    for (const [, p] of secure) expect(p.defaultValue).toBe('');
  });

  it('expose no key, secret or connection string', () => {
    for (const template of [main, compiled('alerting')]) {
      for (const [name, output] of Object.entries(template.outputs)) {
        expect(name).not.toMatch(/key|secret|password|connection|sas|token|credential/i);
        expect(JSON.stringify(output.value)).not.toMatch(/list\w*\(|parameters\('notify/i);
      }
    }
  });
});
