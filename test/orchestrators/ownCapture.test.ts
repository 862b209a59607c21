import { describe, expect, it } from 'vitest';
import { captureNameFor } from '../../src/capture/naming';
import { useOfflineStack } from '../support/stack';
import { startCaptureOutsideTheApp } from './support/otherCaptures';
import { createRunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-own-capture' });

describe('captureOnAlert finding its own capture already made', () => {
  // An attempt whose result was lost (a host that died while the create was in flight, before its
  // scheduling reached the history) made the capture; the replay looks at the VM before creating.
  it('resumes it as the capture it created, not as someone else’s to join', async () => {
    const run = await createRunHarness(stack);
    const vmId = stack.vmId('vm-web-01');
    const ownName = captureNameFor({ vmName: 'vm-web-01', vmId, orchestrationTime: run.host.now() });
    await startCaptureOutsideTheApp(stack, 'vm-web-01', ownName, 300);

    const id = await run.start('vm-web-01', { timeLimitSeconds: 300 });
    const report = await run.finish(id);

    expect(report).toMatchObject({
      outcome: 'succeeded',
      capture: {
        name: ownName,
        mode: 'created',
        owned: true,
        settings: { timeLimitSeconds: 300, filters: [] },
        stopReason: 'TimeExceeded',
        cleanup: 'deleted',
      },
    });
    expect(await run.sessions()).toEqual([]);
    await run.replaysDeterministically(id);
  });
});
