import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  captureNameFor,
  isAppCaptureName,
  isValidCaptureName,
  MAX_CAPTURE_NAME_LENGTH,
} from '../../src/capture/naming';

const vmId = (name: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${name}`;

describe('captureNameFor', () => {
  it('derives the name from the VM name and the orchestration time (UTC, milliseconds)', () => {
    const name = captureNameFor({
      vmName: 'web-01',
      vmId: vmId('web-01'),
      orchestrationTime: '2025-01-31T16:39:41.077Z',
    });
    expect(name).toBe('ac-web-01-20250131-163941077');
    expect(isAppCaptureName(name)).toBe(true);
  });

  it('is the same for the same input and differs for another time', () => {
    const input = {
      vmName: 'db',
      vmId: vmId('db'),
      orchestrationTime: new Date('2025-02-01T00:00:00.000+02:00'),
    };
    expect(captureNameFor(input)).toBe(captureNameFor({ ...input }));
    expect(captureNameFor(input)).toBe('ac-db-20250131-220000000');
    expect(captureNameFor({ ...input, orchestrationTime: '2025-01-31T22:00:00.001Z' })).not.toBe(
      captureNameFor(input),
    );
  });

  it('shortens long VM names to 80 characters and keeps them apart with a hash of the VM id', () => {
    const long = 'a'.repeat(64);
    const a = captureNameFor({ vmName: long, vmId: vmId(long), orchestrationTime: '2025-01-01T00:00:00Z' });
    const b = captureNameFor({
      vmName: long,
      vmId: vmId(long).replace('/rg/', '/rg2/'),
      orchestrationTime: '2025-01-01T00:00:00Z',
    });
    expect(a.length).toBeLessThanOrEqual(MAX_CAPTURE_NAME_LENGTH);
    expect(a).not.toBe(b);
    expect(isValidCaptureName(a)).toBe(true);
  });

  it('replaces characters Network Watcher does not accept', () => {
    const name = captureNameFor({
      vmName: '_vm name(1)',
      vmId: vmId('x'),
      orchestrationTime: '2025-01-01T00:00:00Z',
    });
    expect(name).toBe('ac-vm-name-1-20250101-000000000');
  });

  it('refuses a time that is not a date', () => {
    expect(() => captureNameFor({ vmName: 'vm', vmId: vmId('vm'), orchestrationTime: 'yesterday' })).toThrow(
      RangeError,
    );
  });

  it('always yields a valid name, whatever the VM name', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.date({ min: new Date(0), max: new Date('9999-12-31'), noInvalidDate: true }),
        (vmName, time) => {
          expect(
            isValidCaptureName(captureNameFor({ vmName, vmId: vmId('x'), orchestrationTime: time })),
          ).toBe(true);
        },
      ),
    );
  });
});

describe('isValidCaptureName', () => {
  it.each([
    ['a', true],
    ['web_01.cap-1_', true],
    ['-start', false],
    ['end.', false],
    ['end-', false],
    ['has space', false],
    ['x'.repeat(81), false],
    ['x'.repeat(80), true],
  ])('%s → %s', (name, valid) => {
    expect(isValidCaptureName(name)).toBe(valid);
  });
});
