/**
 * The JSON summary of one capture: what the notification shows and what is written next to the
 * capture file. Plain data only; `schemaVersion` changes whenever a field changes meaning or goes.
 */
import type { HeavyHittersAccuracy } from './HeavyHitters';
import type { CaptureFormat, ByteOrder } from './sniff';
import type { TcpSummary } from './TcpSigns';
import type { TimelineSummary } from './Timeline';

export const CAPTURE_SUMMARY_SCHEMA_VERSION = 1;

/** Where and why reading stopped early; everything before `offset` is in the summary. */
export interface MalformedNote {
  /** Byte offset in the file of the record or block that could not be read. */
  offset: number;
  /** Its position: pcap records count from 1 after the file header (0); pcapng blocks from 1. */
  record: number;
  /** e.g. "pcap packet record", "Enhanced Packet Block". */
  recordKind: string;
  reason: string;
}

export interface InterfaceInfo {
  linkType: number;
  linkTypeName: string;
  snapLength: number;
  timestampResolution: string;
}

export interface FileInfo {
  format: CaptureFormat | null;
  byteOrder: ByteOrder | null;
  version: string | null;
  sections: number;
  /** Interfaces of all sections in file order (the first 64; `interfaceCount` has them all). */
  interfaces: InterfaceInfo[];
  interfaceCount: number;
  /** Bytes read as whole records, the file header included: the whole file, or up to `malformed.offset`. */
  bytesRead: number;
  records: number;
  /** The whole input was read and understood. */
  complete: boolean;
  malformed: MalformedNote | null;
}

export interface Count {
  packets: number;
  bytes: number;
}

export interface Ranked<T> {
  rankedBy: 'bytes' | 'packets';
  entries: T[];
  accuracy: HeavyHittersAccuracy;
}

/**
 * Counts of a listed key. When the list is not exact, the ranking count (`bytes` or `packets`, per
 * `rankedBy`) overstates the truth by at most `error`; the other counts only cover the time since
 * the key was last admitted (lower bounds).
 */
export interface TalkerEntry {
  ip: string;
  packets: number;
  bytes: number;
  sent: Count;
  received: Count;
  error: number;
}

export interface Endpoint {
  ip: string;
  /** null for protocols without ports (ICMP, later IP fragments, ...). */
  port: number | null;
}

export interface ConversationEntry {
  protocol: string;
  /** `a` sent the first packet seen of the conversation. */
  a: Endpoint;
  b: Endpoint;
  packets: number;
  bytes: number;
  aToB: Count;
  bToA: Count;
  /** null when none of its packets had a timestamp. */
  firstAt: string | null;
  lastAt: string | null;
  durationSeconds: number;
  error: number;
}

export interface PortEntry {
  protocol: string;
  /** The service side: the lower port of each packet's pair. */
  port: number;
  packets: number;
  bytes: number;
  error: number;
}

export interface CaptureSummary {
  schemaVersion: typeof CAPTURE_SUMMARY_SCHEMA_VERSION;
  file: FileInfo;
  packets: number;
  bytesCaptured: number;
  /** Original lengths: what crossed the wire, snap length notwithstanding. */
  bytesOnWire: number;
  /** Packets cut by the snap length (captured shorter than on the wire). */
  truncatedPackets: number;
  /** pcapng Simple Packet Blocks carry no time; they are counted but not placed on the timeline. */
  packetsWithoutTimestamp: number;
  firstPacketAt: string | null;
  lastPacketAt: string | null;
  durationSeconds: number;
  network: {
    ipv4: Count;
    ipv6: Count;
    arp: Count;
    other: Count;
    /** Packets of a link type the reader does not decode. */
    undecoded: Count;
    vlanTaggedPackets: number;
    /** IP fragments after the first (no ports). */
    laterFragments: number;
    /** Packets whose captured bytes end inside a header. */
    headersCut: number;
  };
  /** IP transport protocols by bytes on the wire, largest first. */
  transport: (Count & { protocol: string })[];
  topTalkers: { byBytes: Ranked<TalkerEntry>; byPackets: Ranked<TalkerEntry> };
  topConversations: Ranked<ConversationEntry>;
  topPorts: Ranked<PortEntry>;
  tcp: TcpSummary;
  timeline: TimelineSummary;
}
