/**
 * Converts pcapng 64-bit timestamps (two 32-bit halves, in units of the interface's if_tsresol) into
 * whole seconds and nanoseconds without losing precision: nanoseconds since 1970 need 61 bits, more
 * than a double holds, so the common decimal resolutions use a base-2^16 long division.
 */

export interface Instant {
  seconds: number;
  nanoseconds: number;
}

/** if_tsresol: a power of ten (bit 7 clear) or of two (bit 7 set); default 6 (microseconds). */
export class TimestampResolution {
  readonly unitsPerSecond: number;
  private readonly decimalDigits: number | undefined;
  private readonly bigUnits: bigint;

  constructor(readonly tsresol: number) {
    if (!Number.isInteger(tsresol) || tsresol < 0 || tsresol > 255) {
      throw new RangeError(`if_tsresol must be one byte, got ${tsresol}`);
    }
    const binary = (tsresol & 0x80) !== 0;
    const exponent = tsresol & 0x7f;
    this.decimalDigits = !binary && exponent <= 9 ? exponent : undefined;
    this.unitsPerSecond = binary ? 2 ** exponent : 10 ** exponent;
    this.bigUnits = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
  }

  get label(): string {
    return this.tsresol === 6
      ? 'microseconds'
      : this.tsresol === 9
        ? 'nanoseconds'
        : `1/${this.unitsPerSecond} s`;
  }

  /** Writes the instant of `high * 2^32 + low` units into `out`. */
  toInstant(high: number, low: number, out: Instant): void {
    if (this.decimalDigits !== undefined) {
      const divisor = 10 ** this.decimalDigits;
      let remainder = high >>> 16;
      const q3 = Math.floor(remainder / divisor);
      remainder = (remainder % divisor) * 65536 + (high & 0xffff);
      const q2 = Math.floor(remainder / divisor);
      remainder = (remainder % divisor) * 65536 + (low >>> 16);
      const q1 = Math.floor(remainder / divisor);
      remainder = (remainder % divisor) * 65536 + (low & 0xffff);
      const q0 = Math.floor(remainder / divisor);
      remainder %= divisor;
      out.seconds = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
      out.nanoseconds = remainder * 10 ** (9 - this.decimalDigits);
      return;
    }
    const units = (BigInt(high) << 32n) | BigInt(low);
    out.seconds = Number(units / this.bigUnits);
    out.nanoseconds = Number(((units % this.bigUnits) * 1_000_000_000n) / this.bigUnits);
  }
}

export const MICROSECONDS = new TimestampResolution(6);

/** ISO 8601 UTC text with all nine fractional digits (sub-millisecond order matters in captures). */
export function formatInstant(seconds: number, nanoseconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return `@${seconds}.${String(nanoseconds).padStart(9, '0')}`;
  return `${date.toISOString().slice(0, 19)}.${String(nanoseconds).padStart(9, '0')}Z`;
}
