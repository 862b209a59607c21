import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureInstanceId, MAX_INSTANCE_ID_LENGTH } from '../../src/alerts/instanceId';
import { parseArmResourceId } from '../../src/security/armResourceId';
import { VM_ID } from './helpers';

const parse = (id: string) => {
  const parsed = parseArmResourceId(id);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

/** Durable Functions' rules for instance ids. */
function isValidInstanceId(id: string): boolean {
  return (
    id.length > 0 && id.length <= MAX_INSTANCE_ID_LENGTH && !/[/\\#?\p{Cc}]/u.test(id) && !id.startsWith('@')
  );
}

const nameChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.()é名'.split(''),
);
const armName = (max: number) =>
  fc
    .array(nameChar, { minLength: 1, maxLength: max })
    .map((chars) => chars.join(''))
    .filter((n) => !n.endsWith('.'));
const vmId = fc
  .tuple(fc.uuid(), armName(90), armName(64))
  .map(
    ([sub, rg, name]) =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`,
  );

describe('captureInstanceId', () => {
  it('is readable: capture-<vm name>-<16 hex>', () => {
    expect(captureInstanceId(parse(VM_ID))).toMatch(/^capture-vm-web-01-[0-9a-f]{16}$/);
  });

  it('keeps same-named VMs of different groups apart', () => {
    const other = VM_ID.replace('rg-web', 'rg-web2');
    expect(captureInstanceId(parse(other))).not.toBe(captureInstanceId(parse(VM_ID)));
  });

  it('is valid for Durable Functions, and the same for every ASCII casing of the id', () => {
    const upper = (id: string) => id.replace(/[a-z]/g, (c) => c.toUpperCase());
    const lower = (id: string) => id.replace(/[A-Z]/g, (c) => c.toLowerCase());
    fc.assert(
      fc.property(vmId, (id) => {
        const instanceId = captureInstanceId(parse(id));
        expect(isValidInstanceId(instanceId)).toBe(true);
        expect(captureInstanceId(parse(upper(id)))).toBe(instanceId);
        expect(captureInstanceId(parse(lower(id)))).toBe(instanceId);
      }),
      { numRuns: 500 },
    );
  });
});
