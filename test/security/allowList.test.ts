import { describe, expect, it } from 'vitest';
import { AllowList } from '../../src/security/allowList';
import { parseArmResourceId } from '../../src/security/armResourceId';

const SUB = '00000000-0000-0000-0000-000000000000';
const OTHER_SUB = '99999999-9999-9999-9999-999999999999';
const vm = (sub: string, rg: string, name = 'vm') => {
  const parsed = parseArmResourceId(
    `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`,
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('AllowList', () => {
  const list = AllowList.parse([
    `/subscriptions/${SUB}/resourceGroups/rg-web`,
    `/subscriptions/${OTHER_SUB.replace(/9/g, '8')}`,
  ]);

  it('allows VMs of an allowed resource group whatever their casing', () => {
    expect(list.allows(vm(SUB, 'rg-web'))).toBe(true);
    expect(list.allows(vm(SUB.toUpperCase(), 'RG-WEB'))).toBe(true);
  });

  it('allows every resource group of an allowed subscription', () => {
    expect(list.allows(vm('88888888-8888-8888-8888-888888888888', 'anything'))).toBe(true);
  });

  it('refuses other resource groups, prefixes and other subscriptions', () => {
    expect(list.allows(vm(SUB, 'rg-db'))).toBe(false);
    expect(list.allows(vm(SUB, 'rg-web2'))).toBe(false);
    expect(list.allows(vm(SUB, 'rg-we'))).toBe(false);
    expect(list.allows(vm(OTHER_SUB, 'rg-web'))).toBe(false);
  });

  it('does not fold look-alike Unicode letters onto allowed names', () => {
    const kelvin = AllowList.parse([`/subscriptions/${SUB}/resourceGroups/rg-kube`]);
    expect(kelvin.allows(vm(SUB, 'rg-\u212Aube'))).toBe(false);
    expect(kelvin.allows(vm(SUB, 'RG-KUBE'))).toBe(true);
  });

  it('refuses malformed scopes when it is built', () => {
    expect(() => AllowList.parse([])).toThrow(RangeError);
    expect(() => AllowList.parse([`/subscriptions/${SUB}/resourceGroups/rg-web/..`])).toThrow(
      /relative segment/,
    );
    expect(() => AllowList.parse([`/subscriptions/${SUB}/resourceGroups/rg%2Fweb`])).toThrow(RangeError);
  });
});
