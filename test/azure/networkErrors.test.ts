import { describe, expect, it } from 'vitest';
import { toArmError } from '../../src/azure/armErrors';
import { toStorageError } from '../../src/azure/storageErrors';

const failure = (code: string) => Object.assign(new Error(`request failed: ${code}`), { code });

// ARM and blob storage classify a request that never got an answer by the same list of codes.
describe('network failures of ARM and storage calls', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN'])(
    'treat %s as retriable on both',
    (code) => {
      const arm = toArmError(failure(code), { operation: 'read the VM', resourceId: '/subscriptions/x' });
      expect(arm).toMatchObject({ code: 'ARM_UNAVAILABLE', retriable: true });
      expect(toStorageError(failure(code), 'read', 'the capture file')).toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        retriable: true,
      });
    },
  );

  it('leaves other errors to the unexpected-error path', () => {
    const arm = toArmError(failure('EINVAL'), { operation: 'read the VM', resourceId: '/subscriptions/x' });
    expect(arm.code).toBe('INTERNAL_ERROR');
  });
});
