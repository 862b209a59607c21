/**
 * Writes capture files: classic pcap (microsecond or nanosecond magic) or pcapng (one section, one
 * interface, enhanced packet blocks), in either byte order. `header()` once, then `frame()` per packet.
 */

export interface CaptureWriterOptions {
  format: 'pcap' | 'pcapng';
  /** Bytes kept per packet; longer frames are cut and keep their original length. Default 262144. */
  snapLength?: number;
  /** Nanosecond timestamps (pcap: the 0xa1b23c4d magic; pcapng: if_tsresol 9). Default microseconds. */
  nanosecond?: boolean;
  /** LINKTYPE_* value; default 1 (Ethernet). */
  linkType?: number;
  /** Write big-endian headers (both formats allow either order; readers must accept both). */
  bigEndian?: boolean;
}

export interface WritableFrame {
  timestampNs: bigint;
  data: Uint8Array;
}

const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
const PCAP_MAGIC_NANO = 0xa1b23c4d;
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPTION_IF_TSRESOL = 9;

export class CaptureWriter {
  readonly format: 'pcap' | 'pcapng';
  readonly snapLength: number;
  readonly nanosecond: boolean;
  readonly linkType: number;
  readonly bigEndian: boolean;

  constructor(options: CaptureWriterOptions) {
    if (options.format !== 'pcap' && options.format !== 'pcapng') {
      throw new TypeError(`format must be 'pcap' or 'pcapng', got ${String(options.format)}`);
    }
    const snapLength = options.snapLength ?? 262144;
    if (!Number.isInteger(snapLength) || snapLength < 1 || snapLength > 0x7fffffff) {
      throw new RangeError(`snapLength must be an integer in 1..2^31-1, got ${snapLength}`);
    }
    const linkType = options.linkType ?? 1;
    if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) {
      throw new RangeError(`linkType must be an integer in 0..65535, got ${linkType}`);
    }
    this.format = options.format;
    this.snapLength = snapLength;
    this.nanosecond = options.nanosecond ?? false;
    this.linkType = linkType;
    this.bigEndian = options.bigEndian ?? false;
  }

  header(): Buffer {
    return this.format === 'pcap'
      ? this.pcapHeader()
      : Buffer.concat([this.sectionHeader(), this.interfaceDescription()]);
  }

  frame(frame: WritableFrame): Buffer {
    if (typeof frame.timestampNs !== 'bigint' || frame.timestampNs < 0n) {
      throw new RangeError('timestampNs must be a non-negative bigint (ns since 1970)');
    }
    const captured = Math.min(frame.data.length, this.snapLength);
    return this.format === 'pcap' ? this.pcapRecord(frame, captured) : this.enhancedPacket(frame, captured);
  }

  private pcapHeader(): Buffer {
    const b = Buffer.alloc(24);
    const le = !this.bigEndian;
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    v.setUint32(0, this.nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, le);
    v.setUint16(4, 2, le);
    v.setUint16(6, 4, le);
    v.setUint32(16, this.snapLength, le);
    v.setUint32(20, this.linkType, le);
    return b;
  }

  private pcapRecord(frame: WritableFrame, captured: number): Buffer {
    const b = Buffer.alloc(16 + captured);
    const le = !this.bigEndian;
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    const seconds = frame.timestampNs / 1_000_000_000n;
    const fraction = frame.timestampNs % 1_000_000_000n;
    if (seconds > 0xffffffffn) throw new RangeError('timestamp is past what classic pcap can store (2106)');
    v.setUint32(0, Number(seconds), le);
    v.setUint32(4, Number(this.nanosecond ? fraction : fraction / 1000n), le);
    v.setUint32(8, captured, le);
    v.setUint32(12, frame.data.length, le);
    b.set(frame.data.subarray(0, captured), 16);
    return b;
  }

  private sectionHeader(): Buffer {
    const b = Buffer.alloc(28);
    const le = !this.bigEndian;
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    v.setUint32(0, BLOCK_SHB, le);
    v.setUint32(4, 28, le);
    v.setUint32(8, BYTE_ORDER_MAGIC, le);
    v.setUint16(12, 1, le);
    v.setUint16(14, 0, le);
    v.setBigInt64(16, -1n, le); // section length not given
    v.setUint32(24, 28, le);
    return b;
  }

  private interfaceDescription(): Buffer {
    // Fixed part (16) + if_tsresol option (4 + 1 value, padded to 8) + opt_endofopt (4) + trailing length (4).
    const length = 16 + 8 + 4 + 4;
    const b = Buffer.alloc(length);
    const le = !this.bigEndian;
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    v.setUint32(0, BLOCK_IDB, le);
    v.setUint32(4, length, le);
    v.setUint16(8, this.linkType, le);
    v.setUint32(12, this.snapLength, le);
    v.setUint16(16, OPTION_IF_TSRESOL, le);
    v.setUint16(18, 1, le);
    v.setUint8(20, this.nanosecond ? 9 : 6);
    v.setUint32(length - 4, length, le);
    return b;
  }

  private enhancedPacket(frame: WritableFrame, captured: number): Buffer {
    const padded = (captured + 3) & ~3;
    const length = 28 + padded + 4;
    const b = Buffer.alloc(length);
    const le = !this.bigEndian;
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    const units = this.nanosecond ? frame.timestampNs : frame.timestampNs / 1000n;
    v.setUint32(0, BLOCK_EPB, le);
    v.setUint32(4, length, le);
    v.setUint32(8, 0, le); // interface 0
    v.setUint32(12, Number(units >> 32n), le);
    v.setUint32(16, Number(units & 0xffffffffn), le);
    v.setUint32(20, captured, le);
    v.setUint32(24, frame.data.length, le);
    b.set(frame.data.subarray(0, captured), 28);
    v.setUint32(length - 4, length, le);
    return b;
  }
}
