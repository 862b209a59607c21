/**
 * pcapng: a sequence of blocks (type, total length, body, total length again). Each Section Header
 * Block sets the byte order and starts a new list of interfaces; Enhanced, Simple and (obsolete)
 * Packet Blocks carry packets; every other block is skipped by its length.
 */
import { u16, u32, u32be } from './bytes';
import type { PacketSink, ParsedFileInfo, RecordParser } from './framing';
import { linkTypeName } from './linkTypes';
import { PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SECTION_HEADER } from './sniff';
import type { InterfaceInfo } from './summary';
import { MICROSECONDS, TimestampResolution, type Instant } from './timestamps';

const BLOCK = {
  SECTION_HEADER: PCAPNG_SECTION_HEADER,
  INTERFACE_DESCRIPTION: 0x00000001,
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  DECRYPTION_SECRETS: 0x0000000a,
} as const;

const BLOCK_NAMES: Record<number, string> = {
  [BLOCK.SECTION_HEADER]: 'Section Header Block',
  [BLOCK.INTERFACE_DESCRIPTION]: 'Interface Description Block',
  [BLOCK.PACKET]: 'Packet Block',
  [BLOCK.SIMPLE_PACKET]: 'Simple Packet Block',
  [BLOCK.NAME_RESOLUTION]: 'Name Resolution Block',
  [BLOCK.INTERFACE_STATISTICS]: 'Interface Statistics Block',
  [BLOCK.ENHANCED_PACKET]: 'Enhanced Packet Block',
  [BLOCK.DECRYPTION_SECRETS]: 'Decryption Secrets Block',
};

const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;
const MAX_LISTED_INTERFACES = 64;
/** Interfaces per section; the id field is 32 bits but a real capture has a handful. */
const MAX_INTERFACES = 65536;

interface Interface {
  linkType: number;
  snapLength: number;
  resolution: TimestampResolution;
  offsetSeconds: number;
}

const byteSwap32 = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

export class PcapngParser implements RecordParser {
  readonly headerBytes = 12;
  private littleEndian = true;
  private firstByteOrder: boolean | undefined;
  private version: string | null = null;
  private sections = 0;
  private interfaces: Interface[] = [];
  private readonly listed: InterfaceInfo[] = [];
  private interfaceCount = 0;
  private readonly instant: Instant = { seconds: 0, nanoseconds: 0 };

  constructor(private readonly sink: PacketSink) {}

  /** Block type and the byte order it is read in (a Section Header Block declares its own). */
  private blockOrder(b: Uint8Array, o: number): boolean | string {
    if (u32be(b, o) !== BLOCK.SECTION_HEADER) {
      return this.sections === 0 ? 'the file does not start with a Section Header Block' : this.littleEndian;
    }
    const bom = u32be(b, o + 8);
    if (bom === PCAPNG_BYTE_ORDER_MAGIC) return false;
    if (bom === byteSwap32(PCAPNG_BYTE_ORDER_MAGIC)) return true;
    return 'Section Header Block with an unknown byte-order magic';
  }

  recordLength(b: Uint8Array, o: number): number | string {
    const le = this.blockOrder(b, o);
    if (typeof le === 'string') return le;
    const length = u32(b, o + 4, le);
    const minimum = u32be(b, o) === BLOCK.SECTION_HEADER ? 28 : 12;
    if (length < minimum || length % 4 !== 0) {
      return `block length ${length} is invalid (a multiple of 4, at least ${minimum}, is required)`;
    }
    return length;
  }

  skippable(b: Uint8Array, o: number): boolean {
    const type = u32(b, o, this.littleEndian);
    return (
      u32be(b, o) !== BLOCK.SECTION_HEADER &&
      type !== BLOCK.INTERFACE_DESCRIPTION &&
      type !== BLOCK.ENHANCED_PACKET &&
      type !== BLOCK.SIMPLE_PACKET &&
      type !== BLOCK.PACKET
    );
  }

  recordKind(b: Uint8Array, o: number): string {
    const type = u32be(b, o) === BLOCK.SECTION_HEADER ? BLOCK.SECTION_HEADER : u32(b, o, this.littleEndian);
    return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }

  recordNumber(recordsBefore: number): number {
    return recordsBefore + 1;
  }

  record(b: Uint8Array, o: number, length: number): string | undefined {
    if (u32be(b, o) === BLOCK.SECTION_HEADER) {
      const le = this.blockOrder(b, o) as boolean;
      if (u32(b, o + length - 4, le) !== length)
        return 'the trailing block length does not match the leading one';
      return this.sectionHeader(b, o, le);
    }
    const le = this.littleEndian;
    if (u32(b, o + length - 4, le) !== length)
      return 'the trailing block length does not match the leading one';
    switch (u32(b, o, le)) {
      case BLOCK.ENHANCED_PACKET:
        return this.enhancedPacket(b, o, length, le);
      case BLOCK.INTERFACE_DESCRIPTION:
        return this.interfaceDescription(b, o, length, le);
      case BLOCK.SIMPLE_PACKET:
        return this.simplePacket(b, o, length, le);
      case BLOCK.PACKET:
        return this.obsoletePacket(b, o, length, le);
      default:
        return undefined;
    }
  }

  describe(): ParsedFileInfo {
    return {
      byteOrder:
        this.firstByteOrder === undefined ? null : this.firstByteOrder ? 'little-endian' : 'big-endian',
      version: this.version,
      sections: this.sections,
      interfaces: this.listed,
      interfaceCount: this.interfaceCount,
    };
  }

  private sectionHeader(b: Uint8Array, o: number, le: boolean): string | undefined {
    const major = u16(b, o + 12, le);
    if (major !== 1) return `pcapng version ${major}.${u16(b, o + 14, le)} is not supported (1.x is)`;
    this.littleEndian = le;
    this.firstByteOrder ??= le;
    this.version ??= `${major}.${u16(b, o + 14, le)}`;
    this.sections++;
    this.interfaces = [];
    return undefined;
  }

  private interfaceDescription(b: Uint8Array, o: number, length: number, le: boolean): string | undefined {
    if (length < 20) return `an Interface Description Block needs at least 20 bytes, this one has ${length}`;
    if (this.interfaces.length === MAX_INTERFACES)
      return `more than ${MAX_INTERFACES} interfaces in one section`;
    const linkType = u16(b, o + 8, le);
    const snapLength = u32(b, o + 12, le);
    let resolution = MICROSECONDS;
    let offsetSeconds = 0;
    const end = o + length - 4;
    for (let p = o + 16; p + 4 <= end;) {
      const code = u16(b, p, le);
      const size = u16(b, p + 2, le);
      if (code === OPTION_END || p + 4 + size > end) break;
      if (code === OPTION_IF_TSRESOL && size >= 1) resolution = new TimestampResolution(b[p + 4] as number);
      if (code === OPTION_IF_TSOFFSET && size >= 8) {
        const high = u32(b, le ? p + 8 : p + 4, le) | 0;
        const low = u32(b, le ? p + 4 : p + 8, le);
        offsetSeconds = high * 4294967296 + low;
      }
      p += 4 + ((size + 3) & ~3);
    }
    this.interfaces.push({ linkType, snapLength, resolution, offsetSeconds });
    this.interfaceCount++;
    if (this.listed.length < MAX_LISTED_INTERFACES) {
      this.listed.push({
        linkType,
        linkTypeName: linkTypeName(linkType),
        snapLength,
        timestampResolution: resolution.label,
      });
    }
    return undefined;
  }

  private enhancedPacket(b: Uint8Array, o: number, length: number, le: boolean): string | undefined {
    if (length < 32) return `an Enhanced Packet Block needs at least 32 bytes, this one has ${length}`;
    return this.timedPacket(b, o, length, u32(b, o + 8, le), le);
  }

  private obsoletePacket(b: Uint8Array, o: number, length: number, le: boolean): string | undefined {
    if (length < 32) return `a Packet Block needs at least 32 bytes, this one has ${length}`;
    return this.timedPacket(b, o, length, u16(b, o + 8, le), le);
  }

  /** Enhanced and obsolete Packet Blocks share the layout from the timestamp on. */
  private timedPacket(
    b: Uint8Array,
    o: number,
    length: number,
    interfaceId: number,
    le: boolean,
  ): string | undefined {
    const iface = this.interfaces[interfaceId];
    if (iface === undefined)
      return `packet on interface ${interfaceId}, but the section describes ${this.interfaces.length}`;
    const captured = u32(b, o + 20, le);
    if (captured > length - 32)
      return `captured length ${captured} does not fit in a block of ${length} bytes`;
    const original = u32(b, o + 24, le);
    iface.resolution.toInstant(u32(b, o + 12, le), u32(b, o + 16, le), this.instant);
    this.sink.packet(
      iface.linkType,
      b,
      o + 28,
      captured,
      original < captured ? captured : original,
      this.instant.seconds + iface.offsetSeconds,
      this.instant.nanoseconds,
    );
    return undefined;
  }

  private simplePacket(b: Uint8Array, o: number, length: number, le: boolean): string | undefined {
    if (length < 16) return `a Simple Packet Block needs at least 16 bytes, this one has ${length}`;
    const iface = this.interfaces[0];
    if (iface === undefined) return 'Simple Packet Block in a section that describes no interface';
    const original = u32(b, o + 8, le);
    let captured = Math.min(original, length - 16);
    if (iface.snapLength > 0 && captured > iface.snapLength) captured = iface.snapLength;
    this.sink.packet(iface.linkType, b, o + 12, captured, original, NaN, 0);
    return undefined;
  }
}
