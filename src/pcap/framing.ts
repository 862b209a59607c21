/** The contract between the streaming reader, the per-format record parsers and the packet consumer. */
import type { InterfaceInfo } from './summary';

export interface PacketSink {
  /**
   * One packet: `capturedLength` bytes of `data` from `start` (valid only during the call), its
   * length on the wire, and its time (`seconds` NaN when the record has none).
   */
  packet(
    linkType: number,
    data: Uint8Array,
    start: number,
    capturedLength: number,
    originalLength: number,
    seconds: number,
    nanoseconds: number,
  ): void;
}

/**
 * Splits one capture format into records. The reader guarantees `headerBytes` before asking for a
 * record's length, and the whole record before handing it over. Problems are returned as text, so
 * that the reader can stop and say where; nothing here throws on bad input.
 */
export interface RecordParser {
  readonly headerBytes: number;
  /** Total length of the record at `offset`, or what is wrong with its header. */
  recordLength(data: Uint8Array, offset: number): number | string;
  /** A record too large to buffer that may be skipped unread (pcapng blocks that carry no packets). */
  skippable(data: Uint8Array, offset: number): boolean;
  /** Consumes one whole record; returns what is wrong with it, if anything. */
  record(data: Uint8Array, offset: number, length: number): string | undefined;
  /** What the record at `offset` is, for messages (e.g. "Enhanced Packet Block"). */
  recordKind(data: Uint8Array, offset: number): string;
  /** Number the record gets in messages (see MalformedNote.record) given how many came before. */
  recordNumber(recordsBefore: number): number;
  describe(): ParsedFileInfo;
}

export interface ParsedFileInfo {
  byteOrder: 'little-endian' | 'big-endian' | null;
  version: string | null;
  sections: number;
  interfaces: InterfaceInfo[];
  interfaceCount: number;
}
