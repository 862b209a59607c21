import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, installFunctionsCore, RealClock } from '../../local/durable';

installFunctionsCore();

df.app.orchestration('OneHourOnTheRealClock', function* (context: OrchestrationContext) {
  const start = context.df.currentUtcDateTime.getTime();
  yield context.df.createTimer(new Date(start + 60 * 60_000));
  return context.df.currentUtcDateTime.getTime() - start;
});

describe('the real clock', () => {
  it('runs faster by its speed-up factor', async () => {
    const clock = new RealClock({ speedUp: 1000, start: new Date('2025-01-01T00:00:00.000Z') });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsed = clock.now().getTime() - Date.parse('2025-01-01T00:00:00.000Z');
    expect(elapsed).toBeGreaterThanOrEqual(19_000);
    expect(elapsed).toBeLessThan(2_000_000);
    expect(() => new RealClock({ speedUp: 0 })).toThrow(RangeError);
  });

  it('fires a one-hour durable timer after 100 ms at 36000x, by itself', async () => {
    const host = await createTestHost({ clock: { realTime: true, speedUp: 36_000 } });
    const realStart = performance.now();
    const id = await host.start('OneHourOnTheRealClock');
    const status = await host.runToCompletion(id, { timeoutMs: 5_000 });
    const realMs = performance.now() - realStart;

    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output as number).toBeGreaterThanOrEqual(60 * 60_000);
    expect(realMs).toBeGreaterThanOrEqual(95);
    expect(realMs).toBeLessThan(2_000);
    await expect(host.advanceBy(1000)).rejects.toThrow(TypeError);
    host.close();
  });
});
