/**
 * Folds decoded packets into fixed-size statistics: totals, protocol mix, heavy-hitter talkers,
 * conversations and ports, TCP signs and a timeline. Memory does not depend on the capture's size
 * or its number of flows; text is only built for the few entries the summary lists.
 */
import { ipProtocolName, ipv4Text, ipv6Text } from './addressText';
import { HeavyHitters } from './HeavyHitters';
import { decodePacket, DecodedPacket, IP_PROTOCOL, NETWORK } from './PacketDecoder';
import type { PacketSink } from './CaptureReader';
import {
  CAPTURE_SUMMARY_SCHEMA_VERSION,
  type CaptureSummary,
  type ConversationEntry,
  type Count,
  type FileInfo,
  type PortEntry,
  type Ranked,
  type TalkerEntry,
} from './summary';
import { TcpSigns } from './TcpSigns';
import { Timeline } from './Timeline';
import { formatInstant } from './timestamps';

export interface SummaryOptions {
  /** Entries per top list. Default 10. */
  topN?: number;
  /** Keys tracked per heavy-hitter table; counts are exact below it. Defaults 4096 / 8192 / 1024. */
  talkerCapacity?: number;
  conversationCapacity?: number;
  portCapacity?: number;
  /** Most buckets in the timeline. Default 120. */
  timelineBuckets?: number;
  /** RST segments in one second that make it a burst. Default 20. */
  rstBurstThreshold?: number;
}

// Talker extra counters, since admission.
const SENT_BYTES = 0;
const SENT_PACKETS = 1;
const RECEIVED_BYTES = 2;
const RECEIVED_PACKETS = 3;
// Conversation extra counters, since admission.
const A_TO_B_PACKETS = 0;
const A_TO_B_BYTES = 1;
const B_TO_A_PACKETS = 2;
const B_TO_A_BYTES = 3;
const FIRST_SECONDS = 4;
const LAST_SECONDS = 5;
const FIRST_FROM_B = 6;
const CONVERSATION_EXTRAS = 7;

/** Indexed by the NETWORK codes. */
const NETWORK_SLOTS = 7;

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer in 1..${max}, got ${value}`);
  }
  return value;
}

export class CaptureSummarizer implements PacketSink {
  private readonly topN: number;
  private readonly decoded = new DecodedPacket();
  private readonly talkersByBytes: HeavyHitters;
  private readonly talkersByPackets: HeavyHitters;
  private readonly conversations: HeavyHitters;
  private readonly ports: HeavyHitters;
  private readonly timeline: Timeline;
  private readonly tcp: TcpSigns;
  private readonly srcKey = new Uint32Array(5);
  private readonly dstKey = new Uint32Array(5);
  private readonly conversationKey = new Uint32Array(10);
  private readonly portKey = new Uint32Array(1);
  private readonly networkPackets = new Float64Array(NETWORK_SLOTS);
  private readonly networkBytes = new Float64Array(NETWORK_SLOTS);
  private readonly protocolPackets = new Float64Array(256);
  private readonly protocolBytes = new Float64Array(256);

  private packets = 0;
  private bytesCaptured = 0;
  private bytesOnWire = 0;
  private truncated = 0;
  private withoutTime = 0;
  private vlanTagged = 0;
  private laterFragments = 0;
  private headersCut = 0;
  private firstSeconds = NaN;
  private firstNanos = 0;
  private lastSeconds = NaN;
  private lastNanos = 0;

  constructor(options: SummaryOptions = {}) {
    this.topN = positiveInteger('topN', options.topN ?? 10, 1000);
    const talkerCapacity = positiveInteger('talkerCapacity', options.talkerCapacity ?? 4096, 1 << 22);
    this.talkersByBytes = new HeavyHitters({ capacity: talkerCapacity, keyWords: 5, extraCounters: 4 });
    this.talkersByPackets = new HeavyHitters({ capacity: talkerCapacity, keyWords: 5, extraCounters: 4 });
    this.conversations = new HeavyHitters({
      capacity: positiveInteger('conversationCapacity', options.conversationCapacity ?? 8192, 1 << 22),
      keyWords: 10,
      extraCounters: CONVERSATION_EXTRAS,
    });
    this.ports = new HeavyHitters({
      capacity: positiveInteger('portCapacity', options.portCapacity ?? 1024, 1 << 22),
      keyWords: 1,
    });
    this.timeline = new Timeline(options.timelineBuckets ?? 120);
    this.tcp = new TcpSigns(options.rstBurstThreshold ?? 20);
  }

  packet(
    linkType: number,
    data: Uint8Array,
    start: number,
    capturedLength: number,
    originalLength: number,
    seconds: number,
    nanoseconds: number,
  ): void {
    this.packets++;
    this.bytesCaptured += capturedLength;
    this.bytesOnWire += originalLength;
    if (capturedLength < originalLength) this.truncated++;
    const timed = seconds === seconds; // NaN: no timestamp (Simple Packet Block)
    if (timed) {
      if (!(
        seconds > this.firstSeconds ||
        (seconds === this.firstSeconds && nanoseconds >= this.firstNanos)
      )) {
        this.firstSeconds = seconds;
        this.firstNanos = nanoseconds;
      }
      if (!(seconds < this.lastSeconds || (seconds === this.lastSeconds && nanoseconds <= this.lastNanos))) {
        this.lastSeconds = seconds;
        this.lastNanos = nanoseconds;
      }
      this.timeline.add(seconds, originalLength);
    } else {
      this.withoutTime++;
    }

    const d = this.decoded;
    decodePacket(linkType, data, start, capturedLength, d);
    if (d.vlanTags > 0) this.vlanTagged++;
    if (d.headersCut) this.headersCut++;
    const network = d.network;
    this.networkPackets[network] = (this.networkPackets[network] as number) + 1;
    this.networkBytes[network] = (this.networkBytes[network] as number) + originalLength;
    if (network !== NETWORK.IPV4 && network !== NETWORK.IPV6) return;
    if (d.protocol < 0) return; // IPv4/IPv6 header itself cut off: no addresses
    if (d.laterFragment) this.laterFragments++;
    this.protocolPackets[d.protocol] = (this.protocolPackets[d.protocol] as number) + 1;
    this.protocolBytes[d.protocol] = (this.protocolBytes[d.protocol] as number) + originalLength;
    if (d.tcpFlags >= 0) this.tcp.add(d.tcpFlags, timed ? seconds : NaN);

    const family = network;
    const srcKey = this.srcKey;
    const dstKey = this.dstKey;
    srcKey[0] = dstKey[0] = family;
    for (let i = 0; i < 4; i++) {
      srcKey[i + 1] = d.src[i] as number;
      dstKey[i + 1] = d.dst[i] as number;
    }
    countTalker(this.talkersByBytes, srcKey, originalLength, 1, originalLength, SENT_BYTES);
    countTalker(this.talkersByBytes, dstKey, originalLength, 1, originalLength, RECEIVED_BYTES);
    countTalker(this.talkersByPackets, srcKey, 1, originalLength, originalLength, SENT_BYTES);
    countTalker(this.talkersByPackets, dstKey, 1, originalLength, originalLength, RECEIVED_BYTES);

    const srcPort = d.hasPorts ? d.srcPort : 0;
    const dstPort = d.hasPorts ? d.dstPort : 0;
    const srcFirst = compareEndpoints(d.src, srcPort, d.dst, dstPort) <= 0;
    const key = this.conversationKey;
    key[0] = (d.protocol << 8) | family;
    for (let i = 0; i < 4; i++) {
      key[1 + i] = srcFirst ? (d.src[i] as number) : (d.dst[i] as number);
      key[5 + i] = srcFirst ? (d.dst[i] as number) : (d.src[i] as number);
    }
    key[9] = srcFirst ? ((srcPort << 16) | dstPort) >>> 0 : ((dstPort << 16) | srcPort) >>> 0;
    const conversations = this.conversations;
    const entry = conversations.add(key, originalLength, 1);
    if (entry >= 0)
      this.conversationExtras(entry, srcFirst, timed ? seconds + nanoseconds / 1e9 : NaN, originalLength);

    if (d.hasPorts) {
      this.portKey[0] = (d.protocol << 16) | (srcPort < dstPort ? srcPort : dstPort);
      this.ports.add(this.portKey, originalLength, 1);
    }
  }

  private conversationExtras(entry: number, srcFirst: boolean, when: number, originalLength: number): void {
    const base = entry * CONVERSATION_EXTRAS;
    const extra = this.conversations.extra;
    if (extra[base + A_TO_B_PACKETS] === 0 && extra[base + B_TO_A_PACKETS] === 0) {
      extra[base + FIRST_FROM_B] = srcFirst ? 0 : 1;
      extra[base + FIRST_SECONDS] = when;
      extra[base + LAST_SECONDS] = when;
    } else if (when === when) {
      if (!(when >= (extra[base + FIRST_SECONDS] as number))) extra[base + FIRST_SECONDS] = when;
      if (!(when <= (extra[base + LAST_SECONDS] as number))) extra[base + LAST_SECONDS] = when;
    }
    const offset = srcFirst ? A_TO_B_PACKETS : B_TO_A_PACKETS;
    extra[base + offset] = (extra[base + offset] as number) + 1;
    extra[base + offset + 1] = (extra[base + offset + 1] as number) + originalLength;
  }

  summary(file: FileInfo): CaptureSummary {
    const count = (network: number): Count => ({
      packets: this.networkPackets[network] as number,
      bytes: this.networkBytes[network] as number,
    });
    const transport: (Count & { protocol: string })[] = [];
    for (let p = 0; p < 256; p++) {
      if (this.protocolPackets[p] === 0) continue;
      transport.push({
        protocol: ipProtocolName(p),
        packets: this.protocolPackets[p] as number,
        bytes: this.protocolBytes[p] as number,
      });
    }
    transport.sort((x, y) => y.bytes - x.bytes || y.packets - x.packets);
    const timed = !Number.isNaN(this.firstSeconds);
    return {
      schemaVersion: CAPTURE_SUMMARY_SCHEMA_VERSION,
      file,
      packets: this.packets,
      bytesCaptured: this.bytesCaptured,
      bytesOnWire: this.bytesOnWire,
      truncatedPackets: this.truncated,
      packetsWithoutTimestamp: this.withoutTime,
      firstPacketAt: timed ? formatInstant(this.firstSeconds, this.firstNanos) : null,
      lastPacketAt: timed ? formatInstant(this.lastSeconds, this.lastNanos) : null,
      durationSeconds: timed
        ? this.lastSeconds - this.firstSeconds + (this.lastNanos - this.firstNanos) / 1e9
        : 0,
      network: {
        ipv4: count(NETWORK.IPV4),
        ipv6: count(NETWORK.IPV6),
        arp: count(NETWORK.ARP),
        other: count(NETWORK.OTHER),
        undecoded: count(NETWORK.UNDECODED),
        vlanTaggedPackets: this.vlanTagged,
        laterFragments: this.laterFragments,
        headersCut: this.headersCut,
      },
      transport,
      topTalkers: {
        byBytes: this.talkers(this.talkersByBytes, 'bytes'),
        byPackets: this.talkers(this.talkersByPackets, 'packets'),
      },
      topConversations: this.topConversations(),
      topPorts: this.topPorts(),
      tcp: this.tcp.summary((s) => formatInstant(s, 0)),
      timeline: this.timeline.summary((s) => formatInstant(s, 0)),
    };
  }

  private talkers(table: HeavyHitters, rankedBy: 'bytes' | 'packets'): Ranked<TalkerEntry> {
    const entries = table.top(this.topN).map((e): TalkerEntry => {
      const extra = table.extra;
      const byBytes = rankedBy === 'bytes';
      return {
        ip: addressText(table.key(e), 1, table.key(e)[0] as number),
        packets: (byBytes ? table.secondary[e] : table.weight[e]) as number,
        bytes: (byBytes ? table.weight[e] : table.secondary[e]) as number,
        sent: { packets: extra[e * 4 + SENT_PACKETS] as number, bytes: extra[e * 4 + SENT_BYTES] as number },
        received: {
          packets: extra[e * 4 + RECEIVED_PACKETS] as number,
          bytes: extra[e * 4 + RECEIVED_BYTES] as number,
        },
        error: table.error[e] as number,
      };
    });
    return { rankedBy, entries, accuracy: table.accuracy() };
  }

  private topConversations(): Ranked<ConversationEntry> {
    const table = this.conversations;
    const entries = table.top(this.topN).map((e): ConversationEntry => {
      const key = table.key(e);
      const extra = table.extra;
      const base = e * CONVERSATION_EXTRAS;
      const protocolNumber = (key[0] as number) >>> 8;
      const family = (key[0] as number) & 0xff;
      const ported =
        protocolNumber === IP_PROTOCOL.TCP ||
        protocolNumber === IP_PROTOCOL.UDP ||
        protocolNumber === IP_PROTOCOL.SCTP;
      const portA = (key[9] as number) >>> 16;
      const portB = (key[9] as number) & 0xffff;
      // Later fragments carry no ports; their conversation is keyed with port 0 on both sides.
      const hasPorts = ported && !(portA === 0 && portB === 0);
      const first = { ip: addressText(key, 1, family), port: hasPorts ? portA : null };
      const second = { ip: addressText(key, 5, family), port: hasPorts ? portB : null };
      const forward = {
        packets: extra[base + A_TO_B_PACKETS] as number,
        bytes: extra[base + A_TO_B_BYTES] as number,
      };
      const backward = {
        packets: extra[base + B_TO_A_PACKETS] as number,
        bytes: extra[base + B_TO_A_BYTES] as number,
      };
      const swap = extra[base + FIRST_FROM_B] === 1;
      const firstSeen = extra[base + FIRST_SECONDS] as number;
      const lastSeen = extra[base + LAST_SECONDS] as number;
      return {
        protocol: ipProtocolName(protocolNumber),
        a: swap ? second : first,
        b: swap ? first : second,
        packets: table.secondary[e] as number,
        bytes: table.weight[e] as number,
        aToB: swap ? backward : forward,
        bToA: swap ? forward : backward,
        firstAt: fractionalInstant(firstSeen),
        lastAt: fractionalInstant(lastSeen),
        durationSeconds: Number.isNaN(firstSeen) ? 0 : Math.round((lastSeen - firstSeen) * 1e6) / 1e6,
        error: table.error[e] as number,
      };
    });
    return { rankedBy: 'bytes', entries, accuracy: table.accuracy() };
  }

  private topPorts(): Ranked<PortEntry> {
    const table = this.ports;
    const entries = table.top(this.topN).map((e): PortEntry => {
      const key = table.key(e)[0] as number;
      return {
        protocol: ipProtocolName(key >>> 16),
        port: key & 0xffff,
        packets: table.secondary[e] as number,
        bytes: table.weight[e] as number,
        error: table.error[e] as number,
      };
    });
    return { rankedBy: 'bytes', entries, accuracy: table.accuracy() };
  }
}

/** `slot` is SENT_BYTES or RECEIVED_BYTES; the packet counter follows it. */
function countTalker(
  table: HeavyHitters,
  key: Uint32Array,
  weight: number,
  secondary: number,
  bytes: number,
  slot: number,
): void {
  const entry = table.add(key, weight, secondary);
  if (entry < 0) return;
  const base = entry * 4;
  const extra = table.extra;
  extra[base + slot] = (extra[base + slot] as number) + bytes;
  extra[base + slot + 1] = (extra[base + slot + 1] as number) + 1;
}

function compareEndpoints(a: Uint32Array, aPort: number, b: Uint32Array, bPort: number): number {
  for (let i = 0; i < 4; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return aPort - bPort;
}

function addressText(key: Uint32Array, offset: number, family: number): string {
  return family === NETWORK.IPV4
    ? ipv4Text(key[offset] as number)
    : ipv6Text(key.subarray(offset, offset + 4));
}

/** Conversation times are kept as float seconds (microsecond precision is what a double keeps). */
function fractionalInstant(seconds: number): string | null {
  if (Number.isNaN(seconds)) return null;
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  return micros === 1_000_000 ? formatInstant(whole + 1, 0) : formatInstant(whole, micros * 1000);
}
