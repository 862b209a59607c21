/**
 * Push-based streaming reader for pcap and pcapng. Records are parsed in place in each chunk; only a
 * record that spans chunks is copied (into one reusable carry-over buffer), so memory is bounded by
 * the largest record, not by the file. The first problem stops the reader and is kept as a
 * `MalformedNote` saying where; the reader never throws on input bytes.
 */
import type { PacketSink, RecordParser } from './framing';
import { PcapParser } from './PcapParser';
import { PcapngParser } from './PcapngParser';
import { sniffCaptureFormat, type CaptureFormat } from './sniff';
import type { FileInfo, MalformedNote } from './summary';

export type { PacketSink } from './framing';

export interface CaptureReaderOptions {
  /** Largest record kept in memory; larger packet records are malformed. Default 16 MiB. */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD = 16 * 1024 * 1024;
const SNIFF_LENGTH = 12;

export class CaptureReader {
  private readonly maxRecordBytes: number;
  private parser: RecordParser | undefined;
  private format: CaptureFormat | null = null;
  private carry: Uint8Array = new Uint8Array(64 * 1024);
  private carryLength = 0;
  private skipRemaining = 0;
  /** File offset of the first byte not yet consumed (the carry-over starts there). */
  private position = 0;
  private records = 0;
  private received = 0;
  private problem: MalformedNote | null = null;
  private ended = false;

  constructor(
    private readonly sink: PacketSink,
    options: CaptureReaderOptions = {},
  ) {
    const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD;
    if (!Number.isInteger(max) || max < 1024)
      throw new RangeError(`maxRecordBytes must be an integer >= 1024, got ${max}`);
    this.maxRecordBytes = max;
  }

  /** Memory held for records that span chunks; never more than maxRecordBytes plus a few bytes. */
  get bufferedBytes(): number {
    return this.carry.length;
  }

  get stopped(): boolean {
    return this.problem !== null;
  }

  /** Feeds the next bytes of the file. Returns false once reading has stopped on malformed input. */
  push(chunk: Uint8Array): boolean {
    if (this.ended) throw new Error('push() after end()');
    if (this.problem) return false;
    const n = chunk.length;
    this.received += n;
    let o = 0;
    if (this.skipRemaining > 0) o = this.skip(n);
    if (this.carryLength > 0 && o < n) o = this.fillCarry(chunk, o);
    while (!this.problem && this.skipRemaining === 0 && this.carryLength === 0) {
      const available = n - o;
      const parser = this.parser;
      if (parser === undefined) {
        if (available < SNIFF_LENGTH) break;
        this.choose(chunk, o);
        continue;
      }
      if (available < parser.headerBytes) break;
      const length = this.measure(chunk, o);
      if (length < 0) {
        if (this.skipRemaining > 0) o += this.skip(available);
        continue;
      }
      if (available < length) break;
      this.consume(chunk, o, length);
      o += length;
    }
    if (!this.problem && o < n) {
      this.keep(chunk, o, n);
    }
    return this.problem === null;
  }

  /** The input is over: a record left incomplete makes the file malformed. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.problem) return;
    if (this.parser === undefined) {
      this.stop(
        this.carryLength === 0
          ? 'the input is empty'
          : `the input has only ${this.carryLength} bytes, too few for a capture file`,
        'file header',
        0,
      );
      return;
    }
    if (this.skipRemaining > 0) {
      this.stop(
        `the file ends ${this.skipRemaining} bytes before the end of this block`,
        'skipped block',
        this.records,
      );
    } else if (this.carryLength > 0) {
      const parser = this.parser;
      const kind = this.carryLength >= 4 ? parser.recordKind(this.carry, 0) : 'record';
      const needed =
        this.carryLength >= parser.headerBytes ? parser.recordLength(this.carry, 0) : parser.headerBytes;
      this.stop(
        `the file ends inside this record: ${this.carryLength} of ${typeof needed === 'number' ? needed : parser.headerBytes} bytes present`,
        kind,
        parser.recordNumber(this.records),
      );
    }
  }

  fileInfo(): FileInfo {
    const parsed = this.parser?.describe();
    return {
      format: this.format,
      byteOrder: parsed?.byteOrder ?? null,
      version: parsed?.version ?? null,
      sections: parsed?.sections ?? 0,
      interfaces: parsed?.interfaces ?? [],
      interfaceCount: parsed?.interfaceCount ?? 0,
      // Where damage stopped the reader, not how much of the stream had arrived by then: the
      // latter depends on how the input was chunked, and the summary must not.
      bytesRead: this.problem ? this.problem.offset : this.received,
      records: this.records,
      complete: this.ended && this.problem === null,
      malformed: this.problem,
    };
  }

  private choose(b: Uint8Array, o: number): void {
    const sniffed = sniffCaptureFormat(b.subarray(o, o + SNIFF_LENGTH));
    if (sniffed === undefined) {
      this.stop('not a pcap or pcapng file (unknown magic number)', 'file header', 0);
      return;
    }
    this.format = sniffed.format;
    this.parser =
      sniffed.format === 'pcap'
        ? new PcapParser(this.sink, this.maxRecordBytes)
        : new PcapngParser(this.sink);
  }

  /** Length of the record at `o` (its header is present), or -1 after stopping or starting a skip. */
  private measure(b: Uint8Array, o: number): number {
    const parser = this.parser as RecordParser;
    const length = parser.recordLength(b, o);
    if (typeof length === 'string') {
      this.stop(length, parser.recordKind(b, o), parser.recordNumber(this.records));
      return -1;
    }
    if (length <= this.maxRecordBytes) return length;
    if (!parser.skippable(b, o)) {
      this.stop(
        `the record is ${length} bytes long, more than the ${this.maxRecordBytes} a packet record may have`,
        parser.recordKind(b, o),
        parser.recordNumber(this.records),
      );
      return -1;
    }
    this.records++;
    this.skipRemaining = length;
    return -1;
  }

  private consume(b: Uint8Array, o: number, length: number): void {
    const parser = this.parser as RecordParser;
    const problem = parser.record(b, o, length);
    if (problem !== undefined) {
      this.stop(problem, parser.recordKind(b, o), parser.recordNumber(this.records));
      return;
    }
    this.records++;
    this.position += length;
  }

  /** Consumes up to `available` bytes of a block being skipped; returns how many. */
  private skip(available: number): number {
    const taken = Math.min(available, this.skipRemaining);
    this.skipRemaining -= taken;
    this.position += taken;
    return taken;
  }

  /**
   * Completes the carried-over record from `chunk` and consumes it; returns the offset after the
   * bytes taken. The carry never holds more than the start of one record.
   */
  private fillCarry(chunk: Uint8Array, o: number): number {
    const n = chunk.length;
    while (this.carryLength > 0 && this.problem === null) {
      const parser = this.parser;
      let needed: number;
      if (parser === undefined) {
        needed = SNIFF_LENGTH;
      } else if (this.carryLength < parser.headerBytes) {
        needed = parser.headerBytes;
      } else {
        needed = this.measure(this.carry, 0);
        if (needed < 0) return this.skipRemaining > 0 ? o + this.skipCarried(n - o) : o;
      }
      if (this.carryLength < needed) {
        if (o === n) break;
        const taken = Math.min(needed - this.carryLength, n - o);
        this.reserve(needed);
        this.carry.set(chunk.subarray(o, o + taken), this.carryLength);
        this.carryLength += taken;
        o += taken;
      } else if (parser === undefined) {
        this.choose(this.carry, 0);
      } else {
        this.carryLength = 0;
        this.consume(this.carry, 0, needed);
      }
    }
    return o;
  }

  /** The carried bytes start a block being skipped: drop them, then skip in the chunk. */
  private skipCarried(available: number): number {
    this.skipRemaining -= this.carryLength;
    this.position += this.carryLength;
    this.carryLength = 0;
    return this.skip(available);
  }

  private keep(chunk: Uint8Array, o: number, n: number): void {
    const rest = n - o;
    this.reserve(this.carryLength + rest);
    this.carry.set(chunk.subarray(o, n), this.carryLength);
    this.carryLength += rest;
  }

  private reserve(bytes: number): void {
    if (bytes <= this.carry.length) return;
    const grown = new Uint8Array(
      Math.min(Math.max(bytes, this.carry.length * 2), this.maxRecordBytes + SNIFF_LENGTH),
    );
    grown.set(this.carry.subarray(0, this.carryLength));
    this.carry = grown;
  }

  private stop(reason: string, recordKind: string, record: number): void {
    this.problem = { offset: this.position, record, recordKind, reason };
  }
}
