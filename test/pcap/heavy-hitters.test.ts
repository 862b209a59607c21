import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeavyHitters } from '../../src/pcap/HeavyHitters';

function feed(table: HeavyHitters, stream: [number, number][]): Map<number, number> {
  const truth = new Map<number, number>();
  const key = new Uint32Array(2);
  for (const [k, w] of stream) {
    key[0] = k;
    key[1] = k ^ 0xdeadbeef;
    table.add(key, w, 1);
    truth.set(k, (truth.get(k) ?? 0) + w);
  }
  return truth;
}

function tracked(table: HeavyHitters): Map<number, { weight: number; error: number }> {
  const out = new Map<number, { weight: number; error: number }>();
  for (const e of table.top(table.capacity)) {
    out.set(table.key(e)[0] as number, {
      weight: table.weight[e] as number,
      error: table.error[e] as number,
    });
  }
  return out;
}

describe('HeavyHitters', () => {
  it('is exact while the keys fit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 63 }), fc.integer({ min: 1, max: 1500 })), { maxLength: 2000 }),
        (stream) => {
          const table = new HeavyHitters({ capacity: 64, keyWords: 2 });
          const truth = feed(table, stream);
          expect(table.accuracy()).toMatchObject({ exact: true, evictions: 0, unlistedAtMost: 0 });
          expect(new Map([...tracked(table)].map(([k, v]) => [k, v.weight]))).toEqual(truth);
          const order = table.top(5).map((e) => table.weight[e] as number);
          expect(order).toEqual([...order].sort((a, b) => b - a));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('bounds every count and lists every key heavier than its floor when keys overflow', () => {
    const skewedKey = fc.oneof(
      { weight: 3, arbitrary: fc.nat({ max: 7 }) },
      { weight: 2, arbitrary: fc.nat({ max: 100_000 }) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(skewedKey, fc.integer({ min: 1, max: 1500 })), { minLength: 200, maxLength: 3000 }),
        fc.integer({ min: 8, max: 64 }),
        (stream, capacity) => {
          const table = new HeavyHitters({ capacity, keyWords: 2, filterSize: 64 });
          const truth = feed(table, stream);
          const listed = tracked(table);
          const { unlistedAtMost, exact } = table.accuracy();
          for (const [k, { weight, error }] of listed) {
            const real = truth.get(k) ?? 0;
            expect(real).toBeLessThanOrEqual(weight);
            expect(real).toBeGreaterThanOrEqual(weight - error);
          }
          for (const [k, real] of truth) {
            if (!listed.has(k)) {
              expect(exact).toBe(false);
              expect(real).toBeLessThanOrEqual(unlistedAtMost);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a heavy flow at the top through a million one-packet flows', () => {
    const table = new HeavyHitters({ capacity: 256, keyWords: 2 });
    const key = new Uint32Array(2);
    for (let i = 0; i < 1_000_000; i++) {
      key[0] = i % 10 === 0 ? 7 : 1000 + i;
      key[1] = 0;
      table.add(key, i % 10 === 0 ? 1500 : 100, 1);
    }
    const [top] = table.top(1);
    expect(table.key(top!)[0]).toBe(7);
    expect(table.weight[top!]).toBe(100_000 * 1500);
    expect(table.error[top!]).toBe(0);
    expect(table.accuracy().exact).toBe(false);
  });

  it('validates its options', () => {
    expect(() => new HeavyHitters({ capacity: 0, keyWords: 1 })).toThrow(RangeError);
    expect(() => new HeavyHitters({ capacity: 8, keyWords: 17 })).toThrow(RangeError);
  });
});
