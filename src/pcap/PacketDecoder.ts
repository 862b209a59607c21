/**
 * Decodes the link, network and transport headers of one packet in place, into a reused
 * `DecodedPacket` (no allocation per packet). Whatever the snap length cut off stays unknown and the
 * packet is flagged `headersCut`; nothing here throws on odd bytes.
 */
import { u16be, u32be, u32le, type Bytes } from './bytes';
import { LINKTYPE } from './linkTypes';

export const NETWORK = { UNDECODED: 0, IPV4: 4, IPV6: 6, ARP: 1, OTHER: 2 } as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;

export const IP_PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

export class DecodedPacket {
  /** One of NETWORK. */
  network: number = NETWORK.UNDECODED;
  /** Ethertype when network is OTHER. */
  etherType = 0;
  vlanTags = 0;
  /** IP protocol number of the transport (after IPv6 extension headers), or -1. */
  protocol = -1;
  /** IPv4 uses word 0 only; IPv6 uses all four (big-endian words). */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  hasPorts = false;
  srcPort = 0;
  dstPort = 0;
  /** TCP flags byte, or -1 when the TCP header is not there. */
  tcpFlags = -1;
  icmpType = -1;
  /** An IP fragment other than the first: it has no transport header. */
  laterFragment = false;
  /** The captured bytes end inside a header that the packet's own lengths say is there. */
  headersCut = false;

  reset(): void {
    this.network = NETWORK.UNDECODED;
    this.etherType = 0;
    this.vlanTags = 0;
    this.protocol = -1;
    this.hasPorts = false;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = -1;
    this.icmpType = -1;
    this.laterFragment = false;
    this.headersCut = false;
  }
}

const MAX_VLAN_TAGS = 8;
const MAX_IPV6_EXTENSIONS = 16;

export function decodePacket(
  linkType: number,
  b: Bytes,
  start: number,
  length: number,
  out: DecodedPacket,
): void {
  out.reset();
  const end = start + length;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      if (length < 14) return cut(out);
      return decodeEtherType(u16be(b, start + 12), b, start + 14, end, out);
    case LINKTYPE.LINUX_SLL:
      if (length < 16) return cut(out);
      return decodeEtherType(u16be(b, start + 14), b, start + 16, end, out);
    case LINKTYPE.LINUX_SLL2:
      if (length < 20) return cut(out);
      return decodeEtherType(u16be(b, start), b, start + 20, end, out);
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return decodeRawIp(b, start, end, out);
    case LINKTYPE.NULL: {
      if (length < 4) return cut(out);
      // The address family is in the writer's byte order, which the file does not record.
      const family = u32le(b, start) > 0xffff ? u32be(b, start) : u32le(b, start);
      if (family === 2) return decodeIPv4(b, start + 4, end, out);
      if (family === 24 || family === 28 || family === 30) return decodeIPv6(b, start + 4, end, out);
      out.network = NETWORK.OTHER;
      return;
    }
    default:
      return;
  }
}

function cut(out: DecodedPacket): void {
  out.headersCut = true;
}

function decodeEtherType(etherType: number, b: Bytes, p: number, end: number, out: DecodedPacket): void {
  let type = etherType;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (out.vlanTags === MAX_VLAN_TAGS) break;
    if (p + 4 > end) return cut(out);
    out.vlanTags++;
    type = u16be(b, p + 2);
    p += 4;
  }
  if (type === ETHERTYPE_IPV4) return decodeIPv4(b, p, end, out);
  if (type === ETHERTYPE_IPV6) return decodeIPv6(b, p, end, out);
  out.network = type === ETHERTYPE_ARP ? NETWORK.ARP : NETWORK.OTHER;
  out.etherType = type;
}

function decodeRawIp(b: Bytes, p: number, end: number, out: DecodedPacket): void {
  if (p >= end) return cut(out);
  const version = (b[p] as number) >> 4;
  if (version === 4) return decodeIPv4(b, p, end, out);
  if (version === 6) return decodeIPv6(b, p, end, out);
  out.network = NETWORK.OTHER;
}

function decodeIPv4(b: Bytes, p: number, end: number, out: DecodedPacket): void {
  out.network = NETWORK.IPV4;
  if (p + 20 > end) return cut(out);
  const headerLength = ((b[p] as number) & 0x0f) * 4;
  out.protocol = b[p + 9] as number;
  out.src[0] = u32be(b, p + 12);
  out.dst[0] = u32be(b, p + 16);
  out.src[1] = out.src[2] = out.src[3] = 0;
  out.dst[1] = out.dst[2] = out.dst[3] = 0;
  if ((u16be(b, p + 6) & 0x1fff) !== 0) {
    out.laterFragment = true;
    return;
  }
  if (headerLength < 20) return; // malformed header length: addresses are known, the rest is not
  decodeTransport(b, p + headerLength, end, out);
}

function decodeIPv6(b: Bytes, p: number, end: number, out: DecodedPacket): void {
  out.network = NETWORK.IPV6;
  if (p + 40 > end) return cut(out);
  for (let i = 0; i < 4; i++) {
    out.src[i] = u32be(b, p + 8 + 4 * i);
    out.dst[i] = u32be(b, p + 24 + 4 * i);
  }
  let next = b[p + 6] as number;
  let q = p + 40;
  for (let i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (q + 2 > end) return cutAt(next, out);
      next = b[q] as number;
      q += ((b[q + 1] as number) + 1) * 8;
    } else if (next === 44) {
      if (q + 8 > end) return cutAt(next, out);
      const fragmentOffset = u16be(b, q + 2) >> 3;
      next = b[q] as number;
      q += 8;
      if (fragmentOffset !== 0) {
        out.protocol = next;
        out.laterFragment = true;
        return;
      }
    } else if (next === 51) {
      if (q + 2 > end) return cutAt(next, out);
      next = b[q] as number;
      q += ((b[q + 1] as number) + 2) * 4;
    } else {
      break;
    }
  }
  out.protocol = next;
  decodeTransport(b, q, end, out);
}

/** The packet ends inside an IPv6 extension header: the transport protocol stays unknown. */
function cutAt(extensionHeader: number, out: DecodedPacket): void {
  out.protocol = extensionHeader;
  out.headersCut = true;
}

function decodeTransport(b: Bytes, q: number, end: number, out: DecodedPacket): void {
  const protocol = out.protocol;
  if (protocol === IP_PROTOCOL.TCP || protocol === IP_PROTOCOL.UDP || protocol === IP_PROTOCOL.SCTP) {
    if (q + 4 > end) return cut(out);
    out.hasPorts = true;
    out.srcPort = u16be(b, q);
    out.dstPort = u16be(b, q + 2);
    if (protocol === IP_PROTOCOL.TCP) {
      if (q + 14 > end) return cut(out);
      out.tcpFlags = b[q + 13] as number;
    }
  } else if (protocol === IP_PROTOCOL.ICMP || protocol === IP_PROTOCOL.ICMPV6) {
    if (q + 1 > end) return cut(out);
    out.icmpType = b[q] as number;
  }
}
