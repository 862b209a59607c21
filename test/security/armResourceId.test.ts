import { describe, expect, it } from 'vitest';
import {
  asciiLower,
  isResourceType,
  parseArmResourceId,
  parseArmScope,
  sameLocation,
  sameResourceId,
  splitResourceId,
} from '../../src/security/armResourceId';

const SUB = '00000000-0000-0000-0000-000000000000';
const VM = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-web-01`;

describe('parseArmResourceId', () => {
  it('parses a VM id and restores ARM keyword casing from a lower-cased alert id', () => {
    const parsed = parseArmResourceId(VM.toLowerCase());
    expect(parsed).toEqual({
      ok: true,
      value: {
        subscriptionId: SUB,
        resourceGroup: 'rg-web',
        namespace: 'microsoft.compute',
        types: ['virtualmachines'],
        names: ['vm-web-01'],
        canonical: VM,
        key: VM.toLowerCase(),
      },
    });
  });

  it('gives ids that differ only in case the same key', () => {
    const upper = parseArmResourceId(VM.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'));
    const lower = parseArmResourceId(VM.toLowerCase());
    expect(upper.ok && lower.ok && upper.value.key === lower.value.key).toBe(true);
  });

  it('parses child resources and tells resource types apart', () => {
    const parsed = parseArmResourceId(`${VM}/extensions/AzureNetworkWatcherExtension`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.types).toEqual(['virtualMachines', 'extensions']);
    expect(isResourceType(parsed.value, 'Microsoft.Compute/virtualMachines')).toBe(false);
    expect(isResourceType(parsed.value, 'microsoft.compute/virtualmachines/extensions')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['relative', 'subscriptions/x'],
    [
      'dot-dot segment',
      `/subscriptions/${SUB}/resourceGroups/rg-web/../rg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['dot segment', `/subscriptions/${SUB}/resourceGroups/./providers/Microsoft.Compute/virtualMachines/vm`],
    [
      'encoded slash',
      `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm%2F..%2Fx`,
    ],
    [
      'encoded dot',
      `/subscriptions/${SUB}/resourceGroups/%2E%2E/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'backslash',
      `/subscriptions/${SUB}/resourceGroups/rg-web\\..\\rg-db/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'double slash',
      `/subscriptions/${SUB}//resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['trailing slash', `${VM}/`],
    ['query', `${VM}?api-version=1`],
    ['fragment', `${VM}#x`],
    ['space', `${VM} `],
    ['newline', `${VM}\n/extra`],
    [
      'zero-width joiner',
      `/subscriptions/${SUB}/resourceGroups/rg-w\u200deb/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['right-to-left override', `${VM}\u202e`],
    [
      'name ending with a period',
      `/subscriptions/${SUB}/resourceGroups/rg-web./providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    [
      'not a GUID subscription',
      `/subscriptions/prod/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['missing resource group', `/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines/vm`],
    [
      'type without name',
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines`,
    ],
    ['bad namespace', `/subscriptions/${SUB}/resourceGroups/rg/providers/Compute/virtualMachines/vm`],
    [
      'wrong keyword',
      `/subscriptions/${SUB}/resourceGroupz/rg/providers/Microsoft.Compute/virtualMachines/vm`,
    ],
    ['too long', `${VM}/x/${'a'.repeat(1100)}`],
  ])('refuses an id with %s', (_what, id) => {
    const parsed = parseArmResourceId(id);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(/\w/);
  });
});

describe('parseArmScope', () => {
  it('parses subscription and resource group scopes', () => {
    expect(parseArmScope(`/subscriptions/${SUB.toUpperCase()}`)).toMatchObject({
      ok: true,
      value: { subscriptionId: SUB, canonical: `/subscriptions/${SUB}` },
    });
    expect(parseArmScope(`/SUBSCRIPTIONS/${SUB}/resourcegroups/RG-Web`)).toMatchObject({
      ok: true,
      value: { resourceGroup: 'RG-Web', key: `/subscriptions/${SUB}/resourcegroups/rg-web` },
    });
  });

  it('refuses anything deeper than a resource group', () => {
    expect(parseArmScope(VM).ok).toBe(false);
    expect(parseArmScope(`/subscriptions/${SUB}/resourceGroups`).ok).toBe(false);
  });
});

describe('asciiLower', () => {
  it('folds ASCII only, so look-alike letters stay distinct', () => {
    expect(asciiLower('RG-Web')).toBe('rg-web');
    expect(asciiLower('rg-\u212Aube')).toBe('rg-\u212Aube');
  });
});

describe('splitResourceId', () => {
  it('splits a lower-cased VM id as alert payloads send it', () => {
    expect(
      splitResourceId(
        '/subscriptions/abc/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/web-01',
      ),
    ).toEqual({
      subscriptionId: 'abc',
      resourceGroup: 'rg-web',
      provider: 'microsoft.compute',
      type: 'virtualmachines',
      name: 'web-01',
      parents: [],
    });
  });

  it('splits child resources', () => {
    const id = splitResourceId(
      '/subscriptions/s/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/packetCaptures/pc1/',
    );
    expect(id).toMatchObject({
      type: 'networkWatchers/packetCaptures',
      name: 'pc1',
      parents: ['NetworkWatcher_westeurope'],
    });
  });

  it('refuses what is not a resource id', () => {
    expect(() => splitResourceId('/subscriptions/s/resourceGroups/rg')).toThrow(TypeError);
  });

  it('compares ids and regions the way Azure does', () => {
    expect(sameResourceId('/Subscriptions/A/x', '/subscriptions/a/X/')).toBe(true);
    expect(sameLocation('West Europe', 'westeurope')).toBe(true);
    expect(sameLocation('westeurope', 'northeurope')).toBe(false);
  });
});
