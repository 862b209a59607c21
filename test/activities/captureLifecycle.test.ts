import { afterEach, describe, expect, it } from 'vitest';
import { RetriableActivityError, type ActivityResult } from '../../src/activities/activityResult';
import { createCapture } from '../../src/activities/createCapture';
import { deleteCapture } from '../../src/activities/deleteCapture';
import { getCaptureStatus } from '../../src/activities/getCaptureStatus';
import { inspectCaptures } from '../../src/activities/inspectCaptures';
import { stopCapture } from '../../src/activities/stopCapture';
import { resetConfig } from '../../src/config';
import { useOfflineStack } from '../support/stack';
import { captureInput, refOf } from './support/captureInputs';
import { invocation } from './support/invocation';

const stack = useOfflineStack({ label: 'capture-lifecycle' });
const ctx = () => invocation().context;

function value<T>(result: ActivityResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

afterEach(async () => {
  await stack.admin.clearFaults();
  await stack.admin.clearRequests();
});

describe('createCapture', () => {
  it('creates a named, provisioned capture with the defaults and returns the same one when run again', async () => {
    const input = await captureInput(stack, 'vm-web-01');
    const first = value(await createCapture(input, ctx()));
    expect(first).toMatchObject({
      created: true,
      capture: {
        name: expect.stringMatching(/^ac-vm-web-01-\d{8}-\d{9}$/),
        target: input.vm.id,
        provisioningState: 'Succeeded',
        storagePath: expect.stringContaining('/network-watcher-logs/'),
        timeLimitSeconds: 60,
        bytesPerPacket: 0,
        bytesPerSession: 1073741824,
      },
      limits: { timeLimitSeconds: 60, bytesPerPacket: 0, bytesPerSession: 1073741824 },
      filters: [],
      adjustments: [],
    });
    const again = value(await createCapture(input, ctx()));
    expect(again).toMatchObject({ created: false, capture: first.capture });
    const { counts } = await stack.admin.requests();
    expect(counts.create?.requests).toBe(1);
    value(await deleteCapture(refOf(input, first.capture.name), ctx()));
  });

  it('takes the name it is given and refuses an input without one, creating nothing', async () => {
    const { captureName: _derived, ...unnamed } = await captureInput(stack, 'vm-web-01');
    expect(await createCapture(unnamed, ctx())).toMatchObject({
      ok: false,
      error: { code: 'ACTIVITY_INPUT_INVALID', message: expect.stringContaining('captureName') },
    });
    expect((await stack.admin.requests()).counts.create).toBeUndefined();
  });

  it('clamps limits to the API ranges, sends validated filters, and refuses bad filters before any PUT', async () => {
    const input = await captureInput(stack, 'vm-web-02', {
      options: {
        timeLimitSeconds: 86400,
        bytesPerPacket: 128,
        filters: [{ protocol: 'tcp', remotePort: '443;80' }],
      },
    });
    const created = value(await createCapture(input, ctx()));
    expect(created.adjustments).toEqual([{ field: 'timeLimitSeconds', requested: 86400, used: 18000 }]);
    expect(created.filters).toEqual([{ protocol: 'TCP', remotePort: '443;80;' }]);
    expect(created.capture).toMatchObject({ timeLimitSeconds: 18000, bytesPerPacket: 128 });
    value(await deleteCapture(refOf(input, created.capture.name), ctx()));

    await stack.admin.clearRequests();
    const bad = await createCapture(
      { ...input, options: { filters: [{ remoteIPAddress: '1.1.1.1-255.255.255' }] } },
      ctx(),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'CAPTURE_FILTER_INVALID' } });
    expect((await stack.admin.requests()).counts.create).toBeUndefined();
  });

  it('deletes a stale capture of the same name and target that finished before this run', async () => {
    const input = await captureInput(stack, 'vm-web-01', {
      captureName: 'PSAzureFunction',
      options: { timeLimitSeconds: 30 },
    });
    const old = value(await createCapture(input, ctx()));
    await stack.admin.advanceClock(10 * 60_000);
    const later = await captureInput(stack, 'vm-web-01', { captureName: 'PSAzureFunction' });
    const fresh = value(await createCapture(later, ctx()));
    expect(fresh).toMatchObject({ created: true, replaced: 'finishedBeforeThisRun' });
    expect(fresh.capture.timeLimitSeconds).toBe(60);
    expect(fresh.capture.name).toBe(old.capture.name);
    value(await deleteCapture(refOf(later, 'PSAzureFunction'), ctx()));
  });

  it('refuses the name of a capture running on another VM, and replaces it once it has finished', async () => {
    const other = await captureInput(stack, 'vm-web-02', {
      captureName: 'shared-name',
      options: { timeLimitSeconds: 30 },
    });
    value(await createCapture(other, ctx()));
    const mine = await captureInput(stack, 'vm-web-01', { captureName: 'shared-name' });
    const conflict = await createCapture(mine, ctx());
    expect(conflict).toMatchObject({ ok: false, error: { code: 'CAPTURE_NAME_CONFLICT' } });
    expect(!conflict.ok && conflict.error.message).toContain(other.vm.id);

    await stack.admin.advanceClock(60_000);
    const replaced = value(await createCapture(mine, ctx()));
    expect(replaced).toMatchObject({
      created: true,
      replaced: 'finishedOnOtherTarget',
      capture: { target: mine.vm.id },
    });
    value(await deleteCapture(refOf(mine, 'shared-name'), ctx()));
  });

  it('reports a capture Network Watcher cannot provision (agent missing) as permanent', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'agentMissing', vm: 'vm-web-02', times: 1 }] });
    const input = await captureInput(stack, 'vm-web-02');
    const result = await createCapture(input, ctx());
    expect(result).toMatchObject({ ok: false, error: { code: 'CAPTURE_PROVISIONING_FAILED' } });
    expect(!result.ok && result.error.message).toContain('not installed');
    const failed = (await stack.admin.sessions()).find((s) => s.provisioningState === 'Failed');
    expect(value(await deleteCapture(refOf(input, failed!.name), ctx()))).toEqual({ outcome: 'deleted' });
  });
});

describe('getCaptureStatus, stopCapture, deleteCapture', () => {
  it('follows a capture from Running to Stopped by its time limit', async () => {
    const input = await captureInput(stack, 'vm-web-01', {
      instanceId: 'follow',
      options: { timeLimitSeconds: 120 },
    });
    const { capture } = value(await createCapture(input, ctx()));
    const ref = refOf(input, capture.name);
    expect(value(await getCaptureStatus(ref, ctx()))).toMatchObject({
      status: 'Running',
      provisioningState: 'Succeeded',
      errors: [],
      storagePath: capture.storagePath,
      captureStartTime: expect.any(String),
    });
    await stack.admin.advanceClock(121_000);
    expect(value(await getCaptureStatus(ref, ctx()))).toMatchObject({
      status: 'Stopped',
      stopReason: 'TimeExceeded',
      errors: [],
    });
    expect(value(await stopCapture(ref, ctx()))).toEqual({
      outcome: expect.stringMatching(/^(alreadyStopped|stopped)$/),
    });
    expect(value(await deleteCapture(ref, ctx()))).toEqual({ outcome: 'deleted' });
    expect(value(await deleteCapture(ref, ctx()))).toEqual({ outcome: 'notFound' });
    expect(value(await stopCapture(ref, ctx()))).toEqual({ outcome: 'notFound' });
    expect(await getCaptureStatus(ref, ctx())).toMatchObject({
      ok: false,
      error: { code: 'CAPTURE_NOT_FOUND' },
    });
  });

  it('stops a running capture early', async () => {
    const input = await captureInput(stack, 'vm-web-02', {
      instanceId: 'stop-early',
      options: { timeLimitSeconds: 600 },
    });
    const { capture } = value(await createCapture(input, ctx()));
    const ref = refOf(input, capture.name);
    await stack.admin.advanceClock(5_000);
    expect(value(await stopCapture(ref, ctx()))).toEqual({ outcome: 'stopped' });
    expect(value(await getCaptureStatus(ref, ctx()))).toMatchObject({
      status: 'Stopped',
      stopReason: 'Manual',
    });
    value(await deleteCapture(ref, ctx()));
  });

  it.each([
    ['agentStopped', { status: 'Error', errors: ['AgentStopped'] }],
    ['storageFailed', { status: 'Error', errors: ['StorageFailed'] }],
    ['neverStarts', { status: 'NotStarted', errors: [] }],
  ] as const)('reports the %s capture fault verbatim', async (kind, expected) => {
    await stack.admin.addFaults({ capture: [{ kind, vm: 'vm-web-02', times: 1, afterSeconds: 10 }] });
    const input = await captureInput(stack, 'vm-web-02', {
      instanceId: `fault-${kind}`,
      options: { timeLimitSeconds: 30 },
    });
    const { capture } = value(await createCapture(input, ctx()));
    const ref = refOf(input, capture.name);
    await stack.admin.advanceClock(31_000);
    expect(value(await getCaptureStatus(ref, ctx()))).toMatchObject(expected);
    value(await deleteCapture(ref, ctx()));
  });
});

describe('transport failures', () => {
  it('throws a retriable ARM_UNAVAILABLE when the connection keeps dropping', async () => {
    const input = await captureInput(stack, 'vm-web-01', { instanceId: 'dropped' });
    const { capture } = value(await createCapture(input, ctx()));
    await stack.admin.addFaults({ http: [{ route: 'queryStatus', kind: 'drop' }] });
    const error = await getCaptureStatus(refOf(input, capture.name), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableActivityError);
    expect((error as Error).message).toMatch(/^\[ARM_UNAVAILABLE\]/);
    await stack.admin.clearFaults();
    value(await deleteCapture(refOf(input, capture.name), ctx()));
  });
});

describe('inspectCaptures', () => {
  const inspect = (vmId: string, networkWatcherId: string) =>
    inspectCaptures({ instanceId: 'inspect', vmId, networkWatcherId }, ctx()).then(value);
  const statusQueries = async () => (await stack.admin.requests()).counts.queryStatus?.requests ?? 0;

  function withSessionLimit(limit: string | undefined): void {
    if (limit === undefined) delete process.env.CAPTURE_SESSION_LIMIT;
    else process.env.CAPTURE_SESSION_LIMIT = limit;
    resetConfig();
  }

  it("finds the active capture on this VM and counts other VMs' sessions without querying them while slots are plenty", async () => {
    const running = await captureInput(stack, 'vm-web-01', {
      instanceId: 'inspect-1',
      options: { timeLimitSeconds: 600 },
    });
    const finished = await captureInput(stack, 'vm-web-02', {
      instanceId: 'inspect-2',
      captureName: 'old-one',
      options: { timeLimitSeconds: 10 },
    });
    const a = value(await createCapture(running, ctx())).capture;
    value(await createCapture(finished, ctx()));
    await stack.admin.advanceClock(11_000);
    await stack.admin.clearRequests();

    const seen = await inspect(running.vm.id.toLowerCase(), running.networkWatcherId);
    expect(seen.onThisVm).toMatchObject({
      name: a.name,
      createdByApp: true,
      inCaptureAccount: true,
      state: { status: 'Running' },
    });
    // Far under the limit, the other VM's capture is counted without a status query.
    expect(seen).toMatchObject({ runningCount: 2, sessionLimit: 100, freeSlots: 98 });
    expect(seen.running).toEqual([
      { name: a.name, target: running.vm.id },
      { name: 'old-one', target: finished.vm.id },
    ]);
    expect(await statusQueries()).toBe(1);
    expect(Object.keys(seen).sort()).toEqual([
      'freeSlots',
      'onThisVm',
      'running',
      'runningCount',
      'sessionLimit',
    ]);

    const elsewhere = await inspect(finished.vm.id, running.networkWatcherId);
    expect(elsewhere.onThisVm).toBeUndefined();
    value(await deleteCapture(refOf(running, a.name), ctx()));
    value(await deleteCapture(refOf(finished, 'old-one'), ctx()));
  });

  it('queries other sessions only while they decide whether a slot is free, and lists 20 names at most', async () => {
    const other = await captureInput(stack, 'vm-web-02', { options: { timeLimitSeconds: 600 } });
    const names = Array.from({ length: 24 }, (_, i) => `busy-${String(i).padStart(2, '0')}`);
    for (const captureName of names) value(await createCapture({ ...other, captureName }, ctx()));
    const stopped = ['done-1', 'done-2'];
    for (const captureName of stopped) {
      value(await createCapture({ ...other, captureName, options: { timeLimitSeconds: 10 } }, ctx()));
    }
    await stack.admin.advanceClock(11_000);
    const vm = stack.vmId('vm-web-01');
    try {
      // Limit reached by the first batch of four: no further query.
      withSessionLimit('3');
      await stack.admin.clearRequests();
      const full = await inspect(vm, other.networkWatcherId);
      expect(full).toMatchObject({ runningCount: 26, freeSlots: 0, sessionLimit: 3 });
      expect(full.running).toHaveLength(20);
      expect(await statusQueries()).toBe(4);

      // Only the queries can show that the two stopped sessions left a slot free.
      withSessionLimit('26');
      await stack.admin.clearRequests();
      const oneFree = await inspect(vm, other.networkWatcherId);
      expect(oneFree).toMatchObject({ runningCount: 24, freeSlots: 2 });
      expect(oneFree.running.map((c) => c.name)).toEqual(names.slice(0, 20));
      expect(await statusQueries()).toBe(26);
    } finally {
      withSessionLimit(undefined);
      for (const name of [...names, ...stopped]) value(await deleteCapture(refOf(other, name), ctx()));
    }
  });
});
