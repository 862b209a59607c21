import { describe, expect, it } from 'vitest';
import { parseNcrontab } from '../../local/devhost/ncrontab';

const next = (expression: string, after: string) =>
  parseNcrontab(expression).next(new Date(after)).toISOString();

describe('NCRONTAB schedules of timer triggers', () => {
  it('finds the next occurrence of the documented examples', () => {
    expect(next('0 */5 * * * *', '2026-03-01T10:02:30Z')).toBe('2026-03-01T10:05:00.000Z');
    expect(next('0 */5 * * * *', '2026-03-01T10:05:00Z')).toBe('2026-03-01T10:10:00.000Z');
    expect(next('0 0 * * * *', '2026-03-01T10:00:00.500Z')).toBe('2026-03-01T11:00:00.000Z');
    expect(next('0 30 9 * * 1-5', '2026-03-06T10:00:00Z')).toBe('2026-03-09T09:30:00.000Z');
    expect(next('5,10 0 0 1 1 *', '2026-03-01T00:00:00Z')).toBe('2027-01-01T00:00:05.000Z');
    expect(next('0 0 0 * * 0', '2026-03-01T00:00:01Z')).toBe('2026-03-08T00:00:00.000Z');
    expect(next('0 0 0 * * 7', '2026-03-01T00:00:01Z')).toBe('2026-03-08T00:00:00.000Z');
  });

  it('refuses what it does not understand, naming the field', () => {
    expect(() => parseNcrontab('*/5 * * * *')).toThrow(/six fields/);
    expect(() => parseNcrontab('0 61 * * * *')).toThrow(/not a valid minute/);
    expect(() => parseNcrontab('0 0 0 * JAN *')).toThrow(/not a valid month/);
    expect(() => parseNcrontab('0 0 0 31 2 *').next(new Date())).toThrow(/no occurrence/);
  });
});
