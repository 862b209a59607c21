import { describe, expect, it } from 'vitest';
import { withinPermissionGrace } from '../../src/azure/permissionGrace';
import {
  fileLookGapSeconds,
  isSettled,
  SETTLED_AGE_SECONDS,
  UPLOAD_WAIT_MAX_SECONDS,
  uploadWaitBudgetSeconds,
} from '../../src/capture/uploadWait';
import { AppError } from '../../src/errors/AppError';

describe('the wait for a capture file', () => {
  it('is sized from the session: its byte limit at 1 MiB/s and a twentieth of its time limit', () => {
    expect(uploadWaitBudgetSeconds({ bytesPerSession: 10 * 1024 * 1024, timeLimitSeconds: 60 })).toBe(
      120 + 10 + 3,
    );
    expect(uploadWaitBudgetSeconds({ bytesPerSession: 1_073_741_824, timeLimitSeconds: 18_000 })).toBe(
      120 + 1024 + 900,
    );
    // A joined capture of unknown limits gets Network Watcher's defaults; never more than an hour.
    expect(uploadWaitBudgetSeconds({})).toBe(120 + 1024 + 900);
    expect(uploadWaitBudgetSeconds({ bytesPerSession: 4_294_967_295, timeLimitSeconds: 18_000 })).toBe(
      UPLOAD_WAIT_MAX_SECONDS,
    );
  });

  it('looks again after 10, 20, 30 s, then every minute', () => {
    expect([0, 1, 2, 3, 4, 9].map(fileLookGapSeconds)).toEqual([10, 20, 30, 60, 60, 60]);
  });

  it('takes a file as complete when two looks agree, or when it is long untouched', () => {
    const look = { size: 100, etag: '"1"' };
    expect(isSettled(look, undefined)).toBe(false);
    expect(isSettled(look, { size: 100, etag: '"1"' })).toBe(true);
    expect(isSettled(look, { size: 100, etag: '"0"' })).toBe(false);
    expect(isSettled({ ...look, size: 120 }, { size: 100, etag: '"1"' })).toBe(false);
    expect(isSettled({ ...look, ageSeconds: SETTLED_AGE_SECONDS }, undefined)).toBe(true);
    expect(isSettled({ ...look, ageSeconds: SETTLED_AGE_SECONDS - 1 }, undefined)).toBe(false);
  });
});

describe('the grace for permissions after the app starts', () => {
  const forbidden = new AppError('ARM_FORBIDDEN', 'The identity may not read the VM.', {
    details: { status: 403 },
  });
  const started = Date.parse('2026-03-01T10:00:00Z');

  it('turns a refusal within the grace into PERMISSIONS_NOT_EFFECTIVE, with the original code', () => {
    const pending = withinPermissionGrace(forbidden, () => 600, started + 599_000, started);
    expect(pending).toMatchObject({
      code: 'PERMISSIONS_NOT_EFFECTIVE',
      details: { status: 403, refusedWith: 'ARM_FORBIDDEN', graceEndsAt: '2026-03-01T10:10:00.000Z' },
    });
    expect(pending.message).toContain('The identity may not read the VM.');
  });

  it('leaves a refusal after the grace, and any other error, as they are', () => {
    expect(withinPermissionGrace(forbidden, () => 600, started + 600_000, started)).toBe(forbidden);
    const storage = new AppError('STORAGE_FORBIDDEN', 'no');
    expect(withinPermissionGrace(storage, () => 0, started, started)).toBe(storage);
    const other = new AppError('VM_NOT_FOUND', 'gone');
    expect(withinPermissionGrace(other, () => 600, started, started)).toBe(other);
  });
});
