/**
 * Recognises a capture file from its first bytes (the magic numbers), never from its name: Network
 * Watcher writes `.cap` files whatever their actual format.
 */
import { u16, u32, u32be } from './bytes';

export type CaptureFormat = 'pcap' | 'pcapng';
export type ByteOrder = 'little-endian' | 'big-endian';

export interface SniffedFormat {
  format: CaptureFormat;
  byteOrder: ByteOrder;
  /** Classic pcap only; pcapng gives the resolution per interface. */
  timestampResolution?: 'microseconds' | 'nanoseconds';
  /** Format version from the file or section header, e.g. "2.4" or "1.0", when the bytes include it. */
  version?: string;
  /** Classic pcap only (24-byte header present): link type and snap length of every packet. */
  linkType?: number;
  snapLength?: number;
}

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
export const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** How many leading bytes `sniffCaptureFormat` needs for a full answer (a classic pcap file header). */
export const SNIFF_BYTES = 24;

const byteSwap32 = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/**
 * The capture format of a file from its first bytes (at least 4 for pcap, 12 for pcapng;
 * `SNIFF_BYTES` gives every detail), or undefined when the bytes are no pcap or pcapng file.
 */
export function sniffCaptureFormat(firstBytes: Uint8Array): SniffedFormat | undefined {
  if (!(firstBytes instanceof Uint8Array)) throw new TypeError('firstBytes must be a Uint8Array');
  if (firstBytes.length < 4) return undefined;
  const magic = u32be(firstBytes, 0);
  if (magic === PCAPNG_SECTION_HEADER) {
    if (firstBytes.length < 12) return undefined;
    const bom = u32be(firstBytes, 8);
    if (bom !== PCAPNG_BYTE_ORDER_MAGIC && bom !== byteSwap32(PCAPNG_BYTE_ORDER_MAGIC)) return undefined;
    const le = bom !== PCAPNG_BYTE_ORDER_MAGIC;
    const blockLength = u32(firstBytes, 4, le);
    if (blockLength < 28 || blockLength % 4 !== 0) return undefined;
    const sniffed: SniffedFormat = { format: 'pcapng', byteOrder: le ? 'little-endian' : 'big-endian' };
    if (firstBytes.length >= 16) sniffed.version = `${u16(firstBytes, 12, le)}.${u16(firstBytes, 14, le)}`;
    return sniffed;
  }
  for (const le of [true, false]) {
    const value = u32(firstBytes, 0, le);
    if (value !== PCAP_MAGIC_MICROSECONDS && value !== PCAP_MAGIC_NANOSECONDS) continue;
    const sniffed: SniffedFormat = {
      format: 'pcap',
      byteOrder: le ? 'little-endian' : 'big-endian',
      timestampResolution: value === PCAP_MAGIC_NANOSECONDS ? 'nanoseconds' : 'microseconds',
    };
    if (firstBytes.length >= SNIFF_BYTES) {
      sniffed.version = `${u16(firstBytes, 4, le)}.${u16(firstBytes, 6, le)}`;
      sniffed.snapLength = u32(firstBytes, 16, le);
      // The upper 16 bits may carry FCS flags; the link type is the low 16 bits (pcap spec, LinkType field).
      sniffed.linkType = u32(firstBytes, 20, le) & 0xffff;
    }
    return sniffed;
  }
  return undefined;
}
