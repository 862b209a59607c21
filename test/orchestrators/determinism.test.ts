import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import { NonDeterminismError } from '../../local/durable';
import { captureOnAlert } from '../../src/orchestrators/captureOnAlert/captureOnAlert';
import { useOfflineStack } from '../support/stack';
import { reloadAppSettings } from './support/appModules';
import { captureRequest, createRunHarness, type RunHarness } from './support/runHarness';

const stack = useOfflineStack({ label: 'orch-determinism' });
const MINUTE = 60_000;
const ENV_READER = 'captureOnAlertReadingTheEnvironment';

/**
 * The mistake the real orchestrator avoids: it takes a decision from process.env in the generator
 * instead of from an activity result, then runs the real flow. A setting changed while a run is
 * in flight makes its replay take another path.
 */
function* readsTheEnvironment(context: OrchestrationContext) {
  const graceSeconds = Number(process.env.TEST_GRACE_SECONDS ?? '0');
  if (graceSeconds > 0) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + graceSeconds * 1000));
  }
  return yield* captureOnAlert(context);
}

function registerEnvReader(run: RunHarness): void {
  if (!run.host.registry.find(ENV_READER, 'orchestrationTrigger')) {
    df.app.orchestration(ENV_READER, readsTheEnvironment);
  }
}

afterEach(() => {
  delete process.env.TEST_GRACE_SECONDS;
  delete process.env.CAPTURE_CHECK_INTERVAL_SECONDS;
  reloadAppSettings();
});

describe('determinism of captureOnAlert', () => {
  it('is caught by the engine when an orchestrator decides from the environment and a setting changes mid-run', async () => {
    const run = await createRunHarness(stack, { packetsPerSecond: 2 });
    registerEnvReader(run);
    process.env.TEST_GRACE_SECONDS = '60';
    const id = await run.host.start(
      ENV_READER,
      captureRequest(stack.vmId('vm-web-01'), { timeLimitSeconds: 600 }),
    );
    await run.untilPhase(id, 'capturing');
    process.env.TEST_GRACE_SECONDS = '0';
    const status = await run.host.runToCompletion(id);

    expect(status.runtimeStatus).toBe('Failed');
    expect(run.host.failure(id)).toMatchObject({
      errorType: 'NonDeterminismError',
      details: {
        position: { actionIndex: 0 },
        expected: { kind: 'timer' },
        actual: { kind: 'activity', name: 'loadRunSettings' },
      },
    });
    await expect(run.host.replayEveryPrefix(id)).rejects.toBeInstanceOf(NonDeterminismError);
  });

  it('keeps the settings a run started with when they change while it is in flight', async () => {
    const run = await createRunHarness(stack, { packetsPerSecond: 2 });
    const id = await run.start('vm-web-01', { timeLimitSeconds: 1800 });
    await run.untilPhase(id, 'capturing');
    await run.host.advanceBy(7 * MINUTE);
    process.env.CAPTURE_CHECK_INTERVAL_SECONDS = '60';
    reloadAppSettings();
    const report = await run.finish(id);

    expect(report.timings).toMatchObject({ checkIntervalSeconds: 300, checks: { coarse: 6, fast: 0 } });
    await run.replaysDeterministically(id);

    // A run started after the change uses the new interval.
    const next = await run.start('vm-web-02', { timeLimitSeconds: 300 });
    expect((await run.finish(next)).timings).toMatchObject({
      checkIntervalSeconds: 60,
      checks: { coarse: 5 },
    });
  });
});
