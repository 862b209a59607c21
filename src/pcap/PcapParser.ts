/** Classic libpcap files: a 24-byte file header, then 16-byte record headers each followed by packet bytes. */
import { u16, u32 } from './bytes';
import type { PacketSink, ParsedFileInfo, RecordParser } from './framing';
import { linkTypeName } from './linkTypes';
import { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS } from './sniff';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** Larger than any link's frames; a record claiming more is garbage, not a packet. */
const DEFAULT_MAX_PACKET = 262144;

export class PcapParser implements RecordParser {
  private headerRead = false;
  private littleEndian = true;
  private nanosecond = false;
  private linkType = 0;
  private snapLength = 0;
  private version = '';
  private maxPacket = DEFAULT_MAX_PACKET;

  constructor(
    private readonly sink: PacketSink,
    private readonly maxRecordBytes: number,
  ) {}

  get headerBytes(): number {
    return this.headerRead ? RECORD_HEADER : FILE_HEADER;
  }

  recordLength(b: Uint8Array, o: number): number | string {
    if (!this.headerRead) return FILE_HEADER;
    const captured = u32(b, o + 8, this.littleEndian);
    if (captured > this.maxPacket) {
      return `the record claims ${captured} captured bytes, more than the ${this.maxPacket} any packet of this file can have`;
    }
    return RECORD_HEADER + captured;
  }

  skippable(): boolean {
    return false;
  }

  record(b: Uint8Array, o: number, length: number): string | undefined {
    if (!this.headerRead) return this.fileHeader(b, o);
    const le = this.littleEndian;
    let seconds = u32(b, o, le);
    let nanoseconds = this.nanosecond ? u32(b, o + 4, le) : u32(b, o + 4, le) * 1000;
    if (nanoseconds >= 1e9) {
      // Some writers let the fraction overflow; carry it rather than print an 11-digit fraction.
      seconds += Math.floor(nanoseconds / 1e9);
      nanoseconds %= 1e9;
    }
    const captured = length - RECORD_HEADER;
    const original = u32(b, o + 12, le);
    this.sink.packet(
      this.linkType,
      b,
      o + RECORD_HEADER,
      captured,
      original < captured ? captured : original,
      seconds,
      nanoseconds,
    );
    return undefined;
  }

  recordKind(): string {
    return this.headerRead ? 'pcap packet record' : 'pcap file header';
  }

  recordNumber(recordsBefore: number): number {
    return recordsBefore; // the file header is record 0, packets count from 1
  }

  describe(): ParsedFileInfo {
    return {
      byteOrder: this.headerRead ? (this.littleEndian ? 'little-endian' : 'big-endian') : null,
      version: this.headerRead ? this.version : null,
      sections: this.headerRead ? 1 : 0,
      interfaces: this.headerRead
        ? [
            {
              linkType: this.linkType,
              linkTypeName: linkTypeName(this.linkType),
              snapLength: this.snapLength,
              timestampResolution: this.nanosecond ? 'nanoseconds' : 'microseconds',
            },
          ]
        : [],
      interfaceCount: this.headerRead ? 1 : 0,
    };
  }

  private fileHeader(b: Uint8Array, o: number): string | undefined {
    for (const le of [true, false]) {
      const magic = u32(b, o, le);
      if (magic !== PCAP_MAGIC_MICROSECONDS && magic !== PCAP_MAGIC_NANOSECONDS) continue;
      this.littleEndian = le;
      this.nanosecond = magic === PCAP_MAGIC_NANOSECONDS;
      this.version = `${u16(b, o + 4, le)}.${u16(b, o + 6, le)}`;
      this.snapLength = u32(b, o + 16, le);
      this.linkType = u32(b, o + 20, le) & 0xffff;
      this.maxPacket = Math.min(
        this.maxRecordBytes - RECORD_HEADER,
        Math.max(DEFAULT_MAX_PACKET, this.snapLength),
      );
      this.headerRead = true;
      return undefined;
    }
    return 'not a pcap file header (unknown magic number)';
  }
}
