import { describe, expect, it } from 'vitest';
import { resolveCaptureLimits } from '../../src/capture/limits';

const defaults = { timeLimitSeconds: 300, bytesPerPacket: 0, bytesPerSession: 1073741824 };

describe('resolveCaptureLimits', () => {
  it('takes the defaults when the request sets nothing', () => {
    expect(resolveCaptureLimits({}, defaults)).toEqual({ limits: defaults, adjustments: [] });
  });

  it("clamps requested values into the API's ranges and says what changed", () => {
    const { limits, adjustments } = resolveCaptureLimits(
      { timeLimitSeconds: 86400, bytesPerPacket: -1, bytesPerSession: 5e9 },
      defaults,
    );
    expect(limits).toEqual({ timeLimitSeconds: 18000, bytesPerPacket: 0, bytesPerSession: 4294967295 });
    expect(adjustments).toEqual([
      { field: 'timeLimitSeconds', requested: 86400, used: 18000 },
      { field: 'bytesPerPacket', requested: -1, used: 0 },
      { field: 'bytesPerSession', requested: 5e9, used: 4294967295 },
    ]);
  });

  it('rounds fractions down and replaces non-numbers with the default', () => {
    const { limits, adjustments } = resolveCaptureLimits(
      { timeLimitSeconds: 60.9, bytesPerPacket: Number.NaN },
      defaults,
    );
    expect(limits.timeLimitSeconds).toBe(60);
    expect(limits.bytesPerPacket).toBe(0);
    expect(adjustments.map((a) => a.field)).toEqual(['timeLimitSeconds', 'bytesPerPacket']);
  });
});
