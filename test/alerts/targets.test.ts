import { describe, expect, it } from 'vitest';
import { interpretAlert } from '../../src/alerts/interpretAlert';
import { fixture, SETTINGS, SUB, VM_ID } from './helpers';

const OTHER_SUB = '99999999-9999-9999-9999-999999999999';
const vmIn = (sub: string, rg: string, name = 'vm-web-01') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;

/** The common-schema fired alert with its targets replaced. */
function alertFor(...targets: unknown[]) {
  const body = fixture('common-metric-fired');
  body.data.essentials.alertTargetIDs = targets;
  body.data.customProperties = null;
  return body;
}

describe('finding the target VM', () => {
  it.each([
    VM_ID,
    VM_ID.toLowerCase(),
    VM_ID.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'),
    VM_ID.replace('resourceGroups/rg-web', 'RESOURCEGROUPS/RG-WEB'),
  ])('compares %s without case and always gives the same instance id', (id) => {
    const decision = interpretAlert(alertFor(id), SETTINGS);
    const reference = interpretAlert(alertFor(VM_ID), SETTINGS);
    expect(decision.kind).toBe('capture');
    expect(decision.kind === 'capture' && reference.kind === 'capture' && decision.instanceId).toBe(
      reference.kind === 'capture' && reference.instanceId,
    );
  });

  it('takes the VM from a multi-resource dimension when alertTargetIDs names the resource group', () => {
    const body = fixture('common-metric-multi-resource');
    body.data.essentials.alertTargetIDs = [`/subscriptions/${SUB}/resourceGroups/rg-web`];
    expect(interpretAlert(body, SETTINGS)).toMatchObject({ kind: 'capture', request: { vmId: VM_ID } });
    body.data.essentials.alertTargetIDs = null;
    expect(interpretAlert(body, SETTINGS)).toMatchObject({ kind: 'capture', request: { vmId: VM_ID } });
  });

  it('refuses a resource group as the only target; it is never read as a prefix of allowed VMs', () => {
    const decision = interpretAlert(alertFor(`/subscriptions/${SUB}/resourceGroups/rg-web`), SETTINGS);
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_NOT_VM', status: 422 },
    });
    expect(decision.kind === 'refused' && decision.problem.detail).toMatch(
      /is a resource group, not a virtual machine/,
    );
  });

  it('takes the VM from a log search dimension when the target is the workspace', () => {
    const body = fixture('common-log-v2');
    body.data.alertContext.condition.allOf[0].dimensions = [];
    const decision = interpretAlert(body, SETTINGS);
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_NOT_VM', status: 422 },
    });
    expect(decision.kind === 'refused' && decision.problem.detail).toMatch(/_ResourceId/);
  });

  it('takes the VM of an activity log alert whose authorization scope is its resource group', () => {
    const body = fixture('common-activity-log');
    body.data.alertContext.authorization.scope = `/subscriptions/${SUB}/resourceGroups/rg-web`;
    expect(interpretAlert(body, SETTINGS)).toMatchObject({ kind: 'capture', request: { vmId: VM_ID } });
  });

  it('refuses an alert naming two different VMs', () => {
    const decision = interpretAlert(alertFor(VM_ID, vmIn(SUB, 'rg-web', 'vm-web-02')), SETTINGS);
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_AMBIGUOUS', status: 422, field: '/data/essentials/alertTargetIDs/1' },
    });
  });

  it('refuses an alert without a target', () => {
    for (const targets of [[], null, undefined]) {
      const body = alertFor();
      body.data.essentials.alertTargetIDs = targets;
      expect(interpretAlert(body, SETTINGS)).toMatchObject({
        kind: 'refused',
        problem: { code: 'ALERT_TARGET_MISSING' },
      });
    }
  });

  it('refuses a resolved alert for a VM outside the allow-list too', () => {
    const body = fixture('common-metric-resolved');
    body.data.essentials.alertTargetIDs = [vmIn(SUB, 'rg-db')];
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_NOT_ALLOWED' },
    });
  });
});

describe('allow-list bypass attempts', () => {
  it.each([
    ['another resource group', vmIn(SUB, 'rg-db')],
    ['a resource group sharing a prefix', vmIn(SUB, 'rg-web-admin')],
    ['another subscription, same group name', vmIn(OTHER_SUB, 'rg-web')],
    ['a full-width look-alike letter', vmIn(SUB, 'rg-\uFF57eb')],
  ])('refuses %s with 403', (_what, id) => {
    expect(interpretAlert(alertFor(id), SETTINGS)).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_NOT_ALLOWED', status: 403, field: '/data/essentials/alertTargetIDs/0' },
    });
  });

  it.each([
    [
      'dot-dot back into an allowed group',
      `/subscriptions/${OTHER_SUB}/resourceGroups/rg-x/../../../subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'dot-dot out of an allowed group',
      `/subscriptions/${SUB}/resourceGroups/rg-web/../rg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'an encoded slash',
      `/subscriptions/${SUB}/resourceGroups/rg-web%2F..%2Frg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'an encoded dot',
      `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/%2e%2e`,
    ],
    [
      'a double-encoded slash',
      `/subscriptions/${SUB}/resourceGroups/rg-web%252Frg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'a backslash',
      `/subscriptions/${SUB}/resourceGroups/rg-web\\..\\rg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'an empty segment',
      `/subscriptions/${SUB}/resourceGroups/rg-web//providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['a query string', `${vmIn(SUB, 'rg-web')}?api-version=2024-01-01`],
    ['an absolute URL', `https://management.azure.com${vmIn(SUB, 'rg-web')}`],
    ['a NUL byte', `${vmIn(SUB, 'rg-web')}\u0000/../../rg-db`],
    ['a zero-width space', vmIn(SUB, 'rg-web\u200b')],
    [
      'a VM of another subscription after a slash',
      `${vmIn(SUB, 'rg-web')}/${vmIn(OTHER_SUB, 'rg').slice(1)}`,
    ],
  ])('refuses %s as an invalid id (400)', (_what, id) => {
    const decision = interpretAlert(alertFor(id), SETTINGS);
    expect(decision.kind).toBe('refused');
    if (decision.kind !== 'refused') return;
    expect(['ALERT_TARGET_INVALID', 'ALERT_TARGET_NOT_VM']).toContain(decision.problem.code);
    expect(decision.problem.status).toBeLessThan(500);
    expect(decision.problem.field).toBe('/data/essentials/alertTargetIDs/0');
  });

  it('refuses a bad id even when another candidate is a good VM', () => {
    const decision = interpretAlert(alertFor(VM_ID, `${VM_ID}/../../vm-other`), SETTINGS);
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_INVALID', field: '/data/essentials/alertTargetIDs/1' },
    });
  });

  it('does not let a dimension smuggle in a second VM', () => {
    const body = fixture('common-metric-multi-resource');
    body.data.alertContext.condition.allOf[0].dimensions[0].value = vmIn(OTHER_SUB, 'rg-web');
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      kind: 'refused',
      problem: { code: 'ALERT_TARGET_AMBIGUOUS' },
    });
  });
});

describe('payload recognition and schema problems', () => {
  it.each<[string, unknown, string, string]>([
    ['an array', [1, 2], 'ALERT_SCHEMA_UNKNOWN', ''],
    ['null', null, 'ALERT_SCHEMA_UNKNOWN', ''],
    ['a string', 'Activated', 'ALERT_SCHEMA_UNKNOWN', ''],
    ['an empty object', {}, 'ALERT_SCHEMA_UNKNOWN', ''],
    [
      'an unknown schemaId',
      { schemaId: 'Microsoft.Insights/LogAlert', data: {} },
      'ALERT_SCHEMA_UNKNOWN',
      '/schemaId',
    ],
    ['a prototype key as schemaId', { schemaId: 'constructor' }, 'ALERT_SCHEMA_UNKNOWN', '/schemaId'],
    ['a numeric schemaId', { schemaId: 3 }, 'ALERT_SCHEMA_UNKNOWN', '/schemaId'],
    [
      'common schema without data',
      { schemaId: 'azureMonitorCommonAlertSchema' },
      'ALERT_SCHEMA_INVALID',
      '/data',
    ],
  ])('refuses %s', (_what, body, code, field) => {
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      kind: 'refused',
      problem: { code, field, status: 400 },
    });
  });

  it('names the member that is wrong', () => {
    const body = fixture('common-metric-fired');
    body.data.essentials.monitorCondition = 'Acknowledged';
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      problem: { code: 'ALERT_SCHEMA_INVALID', field: '/data/essentials/monitorCondition' },
    });
    body.data.essentials.monitorCondition = 'Fired';
    body.data.essentials.alertTargetIDs = [VM_ID, 42];
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      problem: { code: 'ALERT_SCHEMA_INVALID', field: '/data/essentials/alertTargetIDs/1' },
    });
  });

  it('reads status words without case and ignores unknown members', () => {
    const body = fixture('metric-alert-v2-deactivated');
    body.data.status = 'deactivated';
    body.data.somethingNew = { nested: true };
    expect(interpretAlert(body, SETTINGS)).toMatchObject({ kind: 'resolved' });
  });

  it('cuts long informational texts instead of refusing them', () => {
    const body = fixture('common-metric-fired');
    body.data.essentials.description = 'x'.repeat(100_000);
    const decision = interpretAlert(body, SETTINGS);
    expect(decision.kind === 'capture' && decision.request.alert.description?.length).toBe(1024);
  });
});
