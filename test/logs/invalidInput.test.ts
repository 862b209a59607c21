import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActivity } from '../../src/activities/activityResult';

const VM =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1';

/** Runs an activity whose input fails validation, and returns the lines it logged. */
async function logsOfInvalidInput(input: unknown): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const context = new InvocationContext({
    logHandler: (_level, ...args) => lines.push(JSON.parse(String(args[0])) as Record<string, unknown>),
  });
  const result = await runActivity(
    {
      name: 'probeVm',
      schema: z.object({ instanceId: z.string(), vm: z.object({ id: z.string() }), seconds: z.number() }),
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vm.id }),
      run: () => Promise.resolve('never'),
    },
    input,
    context,
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'ACTIVITY_INPUT_INVALID' } });
  return lines;
}

describe('an activity called with an invalid input', () => {
  it('still names the run and the VM on its log line, from what the input holds', async () => {
    const lines = await logsOfInvalidInput({
      instanceId: 'capture-vm-1-0123456789abcdef',
      vm: { id: VM },
      seconds: 'x',
    });
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'activity.inputInvalid',
        activity: 'probeVm',
        instanceId: 'capture-vm-1-0123456789abcdef',
        vm: VM,
        problems: ['seconds: Invalid input: expected number, received string'],
      }),
    ]);
  });

  it('keeps the instance id when the input is too broken for the scope', async () => {
    const lines = await logsOfInvalidInput({ instanceId: 'capture-vm-1-0123456789abcdef' });
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'activity.inputInvalid',
        instanceId: 'capture-vm-1-0123456789abcdef',
      }),
    ]);
    expect(await logsOfInvalidInput('not an object')).toEqual([
      expect.objectContaining({ event: 'activity.inputInvalid', activity: 'probeVm' }),
    ]);
  });
});
