import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/pcap/Timeline';
import { formatInstant, TimestampResolution, type Instant } from '../../src/pcap/timestamps';

describe('TimestampResolution', () => {
  it.each([0, 3, 6, 9, 12, 0x80 | 10, 0x80 | 30])('if_tsresol %i converts exactly', (tsresol) => {
    const resolution = new TimestampResolution(tsresol);
    const binary = (tsresol & 0x80) !== 0;
    const per = binary ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
    const out: Instant = { seconds: 0, nanoseconds: 0 };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (units) => {
        resolution.toInstant(Number(units >> 32n), Number(units & 0xffffffffn), out);
        const seconds = units / per;
        if (seconds > BigInt(Number.MAX_SAFE_INTEGER)) return;
        expect(out.seconds).toBe(Number(seconds));
        expect(out.nanoseconds).toBe(Number(((units % per) * 1_000_000_000n) / per));
      }),
      { numRuns: 300 },
    );
  });

  it('formats nine fractional digits', () => {
    expect(formatInstant(1_735_689_600, 5)).toBe('2025-01-01T00:00:00.000000005Z');
  });
});

describe('Timeline', () => {
  it('keeps totals and stays within its bucket budget whatever the times', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1_700_000_000, max: 1_700_100_000 }), fc.integer({ min: 1, max: 1514 })),
          {
            minLength: 1,
            maxLength: 500,
          },
        ),
        fc.integer({ min: 2, max: 50 }),
        (packets, maxBuckets) => {
          const timeline = new Timeline(maxBuckets);
          for (const [s, bytes] of packets) timeline.add(s, bytes);
          const summary = timeline.summary((s) => String(s));
          expect(summary.packets.length).toBeLessThanOrEqual(maxBuckets);
          expect(summary.packets.reduce((a, b) => a + b, 0)).toBe(packets.length);
          expect(summary.bytes.reduce((a, b) => a + b, 0)).toBe(packets.reduce((a, [, b]) => a + b, 0));
          expect(Math.log2(summary.bucketSeconds) % 1).toBe(0);
          const first = packets[0]![0];
          expect(summary.earlierThanFirst).toBe(packets.filter(([s]) => s < first).length);
          const span = Math.max(...packets.map(([s]) => s)) - first;
          expect(summary.bucketSeconds * maxBuckets).toBeGreaterThan(span);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reports the busiest second of an ordered capture', () => {
    const timeline = new Timeline(10);
    [100, 100, 101, 101, 101, 105].forEach((s) => timeline.add(s, 10));
    expect(timeline.summary((s) => `t${s}`)).toMatchObject({
      start: 't100',
      bucketSeconds: 1,
      packets: [2, 3, 0, 0, 0, 1],
      peakPacketsPerSecond: 3,
      peakBytesPerSecond: 30,
      peakAt: 't101',
    });
  });
});
