import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpretAlert } from '../../src/alerts/interpretAlert';
import { fixture, SETTINGS, STORAGE_ID, SUB, VM_ID } from './helpers';

const INSTANCE_ID = `capture-vm-web-01-${createHash('sha256').update(VM_ID.toLowerCase()).digest('hex').slice(0, 16)}`;

describe('interpretAlert on each supported payload', () => {
  it('common schema, metric alert fired: capture with the rule options, target taken from a lower-cased id', () => {
    expect(interpretAlert(fixture('common-metric-fired'), SETTINGS)).toEqual({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: {
        vmId: VM_ID,
        options: {
          timeLimitSeconds: 600,
          bytesPerPacket: 128,
          filters: [
            { protocol: 'TCP', remotePort: '443' },
            { protocol: 'UDP', remoteIPAddress: '10.0.0.1-10.0.0.255', localPort: '53;123;' },
          ],
        },
        alert: {
          schema: 'commonAlertSchema',
          alertId: `/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts/6c1f0a52-98d3-4a8e-b7a1-0d7f3c2b9e41`,
          ruleName: 'vm-web-01-network-out',
          severity: 'Sev2',
          firedAt: '2025-06-03T02:14:09.4510214Z',
          description: 'Network Out Total above its usual level',
        },
      },
    });
  });

  it('common schema, metric alert resolved: resolved, same instance id', () => {
    expect(interpretAlert(fixture('common-metric-resolved'), SETTINGS)).toMatchObject({
      kind: 'resolved',
      instanceId: INSTANCE_ID,
      vmId: VM_ID,
      alert: { schema: 'commonAlertSchema', ruleName: 'vm-web-01-network-out' },
    });
  });

  it('common schema, multi-resource rule: the VM from alertTargetIDs and the dimension is the same VM', () => {
    expect(interpretAlert(fixture('common-metric-multi-resource'), SETTINGS)).toMatchObject({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: { vmId: VM_ID, options: {} },
    });
  });

  it('common schema, log search (Log Alerts V2): the VM comes from the _ResourceId dimension, options from the context', () => {
    expect(interpretAlert(fixture('common-log-v2'), SETTINGS)).toMatchObject({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: {
        vmId: VM_ID,
        options: { timeLimitSeconds: 300, filters: [{ protocol: 'UDP', remotePort: '53' }] },
        alert: { ruleName: 'dns-flood-by-vm', severity: 'Sev1' },
      },
    });
  });

  it('common schema, activity log alert: capture on the VM', () => {
    expect(interpretAlert(fixture('common-activity-log'), SETTINGS)).toMatchObject({
      kind: 'capture',
      request: { vmId: VM_ID, alert: { ruleName: 'vm-web-01-nsg-changed' } },
    });
  });

  it('AzureMonitorMetricAlert activated: capture with the properties; a GUID ResourceId dimension is ignored', () => {
    expect(interpretAlert(fixture('metric-alert-v2-activated'), SETTINGS)).toMatchObject({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: {
        vmId: VM_ID,
        options: { timeLimitSeconds: 900, bytesPerSession: 268435456 },
        alert: { schema: 'azureMonitorMetricAlert', ruleName: 'vm-web-01-network-out', severity: '2' },
      },
    });
  });

  it('AzureMonitorMetricAlert deactivated: resolved', () => {
    expect(interpretAlert(fixture('metric-alert-v2-deactivated'), SETTINGS)).toMatchObject({
      kind: 'resolved',
      instanceId: INSTANCE_ID,
    });
  });

  it('AzureMonitorMetricAlert multi-resource: context.resourceId and microsoft.resourceId agree whatever the case', () => {
    const decision = interpretAlert(fixture('metric-alert-v2-multi-resource'), SETTINGS);
    expect(decision).toMatchObject({
      kind: 'capture',
      request: { vmId: VM_ID.replace('vm-web-01', 'vm-web-02') },
    });
    expect(decision.kind === 'capture' && decision.instanceId).toMatch(/^capture-vm-web-02-[0-9a-f]{16}$/);
  });

  it('non-common activity log alert: capture on the resource of the event', () => {
    expect(interpretAlert(fixture('activity-log-resource-health'), SETTINGS)).toMatchObject({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: { vmId: VM_ID, options: {}, alert: { schema: 'activityLogAlert' } },
    });
  });

  it('classic metric alert: Activated captures, Resolved resolves', () => {
    expect(interpretAlert(fixture('classic-metric-activated'), SETTINGS)).toMatchObject({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: {
        vmId: VM_ID,
        options: { timeLimitSeconds: 120 },
        alert: { ruleName: 'TCP_Segments_Sent_Exceeded' },
      },
    });
    expect(interpretAlert(fixture('classic-metric-resolved'), SETTINGS)).toMatchObject({ kind: 'resolved' });
  });

  it("the original article's direct request: capture with the pinned watcher, name and storage", () => {
    expect(interpretAlert(fixture('direct-request'), SETTINGS)).toEqual({
      kind: 'capture',
      instanceId: INSTANCE_ID,
      request: {
        vmId: VM_ID,
        options: { timeLimitSeconds: 300 },
        alert: { schema: 'directRequest' },
        networkWatcherId: `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`,
        captureName: 'PSAzureFunction',
        storageAccountId: STORAGE_ID,
      },
    });
  });

  it.each([
    ['common-test-action-storage', 'ALERT_TARGET_NOT_VM', 422, '/data/essentials/alertTargetIDs/0'],
    ['common-budget', 'ALERT_TARGET_MISSING', 422, ''],
    ['common-vmss', 'ALERT_TARGET_NOT_VM', 422, '/data/essentials/alertTargetIDs/0'],
  ])('%s is refused with %s', (name, code, status, field) => {
    expect(interpretAlert(fixture(name), SETTINGS)).toMatchObject({
      kind: 'refused',
      problem: { code, status, field },
    });
  });

  it('says why a scale set is refused', () => {
    const decision = interpretAlert(fixture('common-vmss'), SETTINGS);
    expect(decision.kind === 'refused' && decision.problem.detail).toMatch(/Scale sets are not supported/);
  });
});

describe('the samples in samples/alerts', () => {
  const dir = join(__dirname, '../../samples/alerts');
  const samples = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('exist for every supported schema', () => {
    const schemas = new Set(
      samples.map((file) => {
        const decision = interpretAlert(JSON.parse(readFileSync(join(dir, file), 'utf8')), SETTINGS);
        return decision.kind === 'capture' ? decision.request.alert.schema : decision.kind;
      }),
    );
    expect([...schemas].sort()).toEqual(
      [
        'activityLogAlert',
        'azureMonitorMetricAlert',
        'classicMetricAlert',
        'commonAlertSchema',
        'directRequest',
        'resolved',
      ].sort(),
    );
  });

  it.each(samples)('%s is accepted for the example allow-list', (file) => {
    const decision = interpretAlert(JSON.parse(readFileSync(join(dir, file), 'utf8')), SETTINGS);
    expect(decision.kind).not.toBe('refused');
  });
});
