import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { activityErrorCode, RetriableActivityError, runActivity } from '../../src/activities/activityResult';
import { AppError } from '../../src/errors/AppError';
import { invocation } from './support/invocation';

const spec = <O>(run: () => Promise<O>) => ({
  name: 'probe',
  schema: z.object({ instanceId: z.string(), vm: z.string() }),
  scope: (i: { instanceId: string; vm: string }) => ({ instanceId: i.instanceId, vm: i.vm }),
  run,
});
const input = { instanceId: 'run-7', vm: 'vm-1' };

describe('runActivity', () => {
  it('returns successes and logs each line with the instance and the VM', async () => {
    const { context, events } = invocation();
    expect(
      await runActivity(
        spec(async () => 42),
        input,
        context,
      ),
    ).toEqual({ ok: true, value: 42 });
    expect(events()).toEqual([
      expect.objectContaining({
        event: 'activity.succeeded',
        activity: 'probe',
        instanceId: 'run-7',
        vm: 'vm-1',
      }),
    ]);
  });

  it('returns permanent failures with their code and JSON-safe details', async () => {
    const failure = new AppError('VM_NOT_FOUND', 'gone', { details: { cause: new Error('inner'), at: 1 } });
    const result = await runActivity(
      spec(async () => Promise.reject(failure)),
      input,
      invocation().context,
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'VM_NOT_FOUND', message: 'gone', details: { cause: 'inner', at: 1 } },
    });
  });

  it('throws retriable failures with the code first in the message', async () => {
    const throttled = new AppError('ARM_THROTTLED', 'slow down', { details: { retryAfterMs: 5000 } });
    const error = await runActivity(
      spec(async () => Promise.reject(throttled)),
      input,
      invocation().context,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableActivityError);
    expect(error).toMatchObject({
      message: '[ARM_THROTTLED] slow down',
      code: 'ARM_THROTTLED',
      details: { retryAfterMs: 5000 },
    });
  });

  it('turns an unexpected exception into a permanent INTERNAL_ERROR', async () => {
    const result = await runActivity(
      spec(async () => Promise.reject(new TypeError('x is undefined'))),
      input,
      invocation().context,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL_ERROR', details: { error: 'TypeError: x is undefined' } },
    });
  });

  it('refuses an invalid input without running the body', async () => {
    let ran = false;
    const result = await runActivity(
      spec(async () => (ran = true)),
      { instanceId: 3 },
      invocation().context,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'ACTIVITY_INPUT_INVALID' } });
    expect(ran).toBe(false);
  });
});

describe('activityErrorCode', () => {
  it('reads the code back from what the orchestrator receives', () => {
    expect(activityErrorCode(new Error('RetriableActivityError: [BLOB_NOT_FOUND] The capture file …'))).toBe(
      'BLOB_NOT_FOUND',
    );
    expect(activityErrorCode(new Error("Activity function 'x' failed: [ARM_UNAVAILABLE] …"))).toBe(
      'ARM_UNAVAILABLE',
    );
    expect(activityErrorCode(new Error('[NOT_A_CODE] then [STORAGE_UNAVAILABLE]'))).toBe(
      'STORAGE_UNAVAILABLE',
    );
    expect(activityErrorCode(new Error('no code'))).toBeUndefined();
    expect(activityErrorCode(undefined)).toBeUndefined();
  });
});
