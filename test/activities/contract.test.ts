import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadApp } from '../../local/durable';
import {
  ACTIVITIES,
  loadActivity,
  type ActivityInput,
  type ActivityName,
  type ActivityOutput,
} from '../../src/activities/contract';
import type { DeleteCaptureOutput } from '../../src/activities/deleteCapture';
import type { CaptureRefInput } from '../../src/activities/schemas';
import { callStep } from '../../src/orchestrators/captureOnAlert/steps';
import type { Run } from '../../src/orchestrators/captureOnAlert/run';
import { APP_ENTRY } from '../orchestrators/support/appModules';
import { invocation } from './support/invocation';

/** The modules of src/activities that are not activities themselves. */
const NOT_ACTIVITIES = ['activityResult', 'contract', 'index', 'schemas'];

describe('the activity contract', () => {
  it('registers every activity of the table under its own name, and no other', async () => {
    const registry = await loadApp(APP_ENTRY);
    const registered = registry.list('activityTrigger').map((fn) => fn.name);
    expect(registered.sort()).toEqual(Object.keys(ACTIVITIES).sort());
  });

  it('names each activity after its file, which exports it under that name', () => {
    const files = readdirSync(join(__dirname, '../../src/activities'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.slice(0, -'.ts'.length));
    expect(files.filter((file) => !NOT_ACTIVITIES.includes(file)).sort()).toEqual(
      Object.keys(ACTIVITIES).sort(),
    );
    for (const name of Object.keys(ACTIVITIES) as ActivityName[]) {
      expect(loadActivity(name), name).toBeTypeOf('function');
    }
  });

  it('types a call by the activity it names: what the activity refuses does not compile', async () => {
    expectTypeOf<ActivityInput<'stopCapture'>>().toEqualTypeOf<CaptureRefInput>();
    expectTypeOf<ActivityOutput<'deleteCapture'>>().toEqualTypeOf<DeleteCaptureOutput>();

    // Never run: it only has to compile (tsc checks each expected error).
    function* calls(run: Run) {
      // @ts-expect-error createCapture needs the VM, its Network Watcher, the capture name and the run's start.
      yield* callStep(run, 'createCapture', { instanceId: run.instanceId });
      const ref = { instanceId: run.instanceId, networkWatcherId: 'nw', captureName: 'c' };
      // @ts-expect-error getCaptureStatus returns the capture's state, not what createCapture returns.
      const created: ActivityOutput<'createCapture'> = yield* callStep(run, 'getCaptureStatus', ref);
      // @ts-expect-error no activity has that name.
      yield* callStep(run, 'createPacketCapture', ref);
      return created;
    }
    expect(calls).toBeTypeOf('function');

    // What the compiler refuses above, the activity refuses at run time too.
    const input: unknown = { instanceId: 'run-1' };
    const result = await loadActivity('createCapture')(input, invocation('createCapture').context);
    expect(result).toMatchObject({ ok: false, error: { code: 'ACTIVITY_INPUT_INVALID' } });
  });
});
