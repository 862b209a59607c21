/**
 * Packets and bytes over time in at most `maxBuckets` buckets. Buckets start one second wide and
 * double (merging neighbours) whenever the capture outgrows them, so memory stays fixed whatever
 * the duration. Per-second peaks are tracked on the side, exactly for time-ordered captures.
 */

export interface TimelineSummary {
  /** ISO time of the start of the first bucket (the first packet's whole second). */
  start: string | null;
  bucketSeconds: number;
  packets: number[];
  bytes: number[];
  peakPacketsPerSecond: number;
  peakBytesPerSecond: number;
  /** When the packets-per-second peak happened (start of that second). */
  peakAt: string | null;
  /** Packets stamped earlier than the first packet, counted in the first bucket. */
  earlierThanFirst: number;
}

export class Timeline {
  private readonly packets: Float64Array;
  private readonly bytes: Float64Array;
  private base = NaN;
  private width = 1;
  private used = 0;
  private earlier = 0;
  private second = NaN;
  private secondPackets = 0;
  private secondBytes = 0;
  private peakPackets = 0;
  private peakBytes = 0;
  private peakSecond = NaN;

  constructor(readonly maxBuckets: number) {
    if (!Number.isInteger(maxBuckets) || maxBuckets < 2 || maxBuckets > 100_000) {
      throw new RangeError(`maxBuckets must be an integer in 2..100000, got ${maxBuckets}`);
    }
    this.packets = new Float64Array(maxBuckets);
    this.bytes = new Float64Array(maxBuckets);
  }

  add(seconds: number, bytes: number): void {
    if (seconds !== this.second) this.closeSecond(seconds);
    this.secondPackets++;
    this.secondBytes += bytes;
    if (Number.isNaN(this.base)) this.base = seconds;
    let offset = seconds - this.base;
    if (offset < 0) {
      this.earlier++;
      offset = 0;
    }
    let bucket = Math.floor(offset / this.width);
    while (bucket >= this.maxBuckets) {
      this.widen();
      bucket = Math.floor(offset / this.width);
    }
    this.packets[bucket] = (this.packets[bucket] as number) + 1;
    this.bytes[bucket] = (this.bytes[bucket] as number) + bytes;
    if (bucket >= this.used) this.used = bucket + 1;
  }

  summary(format: (seconds: number) => string): TimelineSummary {
    this.closeSecond(NaN);
    const empty = Number.isNaN(this.base);
    return {
      start: empty ? null : format(this.base),
      bucketSeconds: this.width,
      packets: Array.from(this.packets.subarray(0, this.used)),
      bytes: Array.from(this.bytes.subarray(0, this.used)),
      peakPacketsPerSecond: this.peakPackets,
      peakBytesPerSecond: this.peakBytes,
      peakAt: Number.isNaN(this.peakSecond) ? null : format(this.peakSecond),
      earlierThanFirst: this.earlier,
    };
  }

  private closeSecond(next: number): void {
    if (this.secondPackets > this.peakPackets) {
      this.peakPackets = this.secondPackets;
      this.peakSecond = this.second;
    }
    if (this.secondBytes > this.peakBytes) this.peakBytes = this.secondBytes;
    this.second = next;
    this.secondPackets = 0;
    this.secondBytes = 0;
  }

  private widen(): void {
    const half = Math.ceil(this.used / 2);
    for (let i = 0; i < half; i++) {
      // The pair's second half is past the end when `used` is odd and the array is full.
      this.packets[i] = (this.packets[2 * i] as number) + (this.packets[2 * i + 1] ?? 0);
      this.bytes[i] = (this.bytes[2 * i] as number) + (this.bytes[2 * i + 1] ?? 0);
    }
    this.packets.fill(0, half);
    this.bytes.fill(0, half);
    this.used = half;
    this.width *= 2;
  }
}
