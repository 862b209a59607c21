/**
 * Builds complete Ethernet frames (IPv4 or IPv6; TCP, UDP or ICMP/ICMPv6) with correct lengths and
 * checksums, the way a VM's NIC would hand them to a capture.
 */

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpSegment {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Handshake options (MSS, window scale, SACK permitted) as sent with SYN and SYN-ACK. */
  synOptions?: boolean;
  payload?: Uint8Array;
}

export interface UdpDatagram {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export interface IcmpEcho {
  kind: 'icmp-echo';
  reply: boolean;
  identifier: number;
  sequence: number;
  payload: Uint8Array;
}

export interface FrameSpec {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** 4 bytes (IPv4) or 16 bytes (IPv6); both addresses of one frame have the same family. */
  srcIp: Uint8Array;
  dstIp: Uint8Array;
  ttl: number;
  ipId: number;
  transport: TcpSegment | UdpDatagram | IcmpEcho;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP = 1;
const PROTO_ICMPV6 = 58;
const ETHERNET_HEADER = 14;
const SYN_OPTIONS = Uint8Array.of(2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2); // MSS 1460, NOP, WS 7, NOP NOP, SACK-permitted

function transportLength(t: FrameSpec['transport']): { header: number; payload: Uint8Array } {
  switch (t.kind) {
    case 'tcp':
      return {
        header: 20 + (t.synOptions ? SYN_OPTIONS.length : 0),
        payload: t.payload ?? new Uint8Array(0),
      };
    case 'udp':
      return { header: 8, payload: t.payload };
    case 'icmp-echo':
      return { header: 8, payload: t.payload };
  }
}

/** 16-bit one's complement sum of bytes [start, end), folded, added to `initial`. */
function onesComplementSum(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  if (i < end) sum += (bytes[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function finishChecksum(sum: number): number {
  const value = ~sum & 0xffff;
  return value;
}

export function buildFrame(spec: FrameSpec): Uint8Array {
  const v6 = spec.srcIp.length === 16;
  if (spec.srcIp.length !== spec.dstIp.length || (spec.srcIp.length !== 4 && !v6)) {
    throw new TypeError('source and destination must both be IPv4 (4 bytes) or both IPv6 (16 bytes)');
  }
  const { header: l4Header, payload } = transportLength(spec.transport);
  const ipHeader = v6 ? 40 : 20;
  const l4Length = l4Header + payload.length;
  const frame = new Uint8Array(ETHERNET_HEADER + ipHeader + l4Length);
  const view = new DataView(frame.buffer);

  frame.set(spec.dstMac, 0);
  frame.set(spec.srcMac, 6);
  view.setUint16(12, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);

  const ip = ETHERNET_HEADER;
  const protocol =
    spec.transport.kind === 'tcp'
      ? PROTO_TCP
      : spec.transport.kind === 'udp'
        ? PROTO_UDP
        : v6
          ? PROTO_ICMPV6
          : PROTO_ICMP;
  if (v6) {
    view.setUint32(ip, 0x60000000);
    view.setUint16(ip + 4, l4Length);
    frame[ip + 6] = protocol;
    frame[ip + 7] = spec.ttl;
    frame.set(spec.srcIp, ip + 8);
    frame.set(spec.dstIp, ip + 24);
  } else {
    frame[ip] = 0x45;
    view.setUint16(ip + 2, ipHeader + l4Length);
    view.setUint16(ip + 4, spec.ipId & 0xffff);
    view.setUint16(ip + 6, 0x4000); // don't fragment
    frame[ip + 8] = spec.ttl;
    frame[ip + 9] = protocol;
    frame.set(spec.srcIp, ip + 12);
    frame.set(spec.dstIp, ip + 16);
    view.setUint16(ip + 10, finishChecksum(onesComplementSum(frame, ip, ip + 20, 0)));
  }

  const l4 = ip + ipHeader;
  const t = spec.transport;
  let checksumOffset: number;
  if (t.kind === 'tcp') {
    view.setUint16(l4, t.srcPort);
    view.setUint16(l4 + 2, t.dstPort);
    view.setUint32(l4 + 4, t.seq >>> 0);
    view.setUint32(l4 + 8, t.ack >>> 0);
    frame[l4 + 12] = (l4Header / 4) << 4;
    frame[l4 + 13] = t.flags;
    view.setUint16(l4 + 14, t.window);
    if (t.synOptions) frame.set(SYN_OPTIONS, l4 + 20);
    checksumOffset = l4 + 16;
  } else if (t.kind === 'udp') {
    view.setUint16(l4, t.srcPort);
    view.setUint16(l4 + 2, t.dstPort);
    view.setUint16(l4 + 4, l4Length);
    checksumOffset = l4 + 6;
  } else {
    frame[l4] = v6 ? (t.reply ? 129 : 128) : t.reply ? 0 : 8;
    view.setUint16(l4 + 4, t.identifier);
    view.setUint16(l4 + 6, t.sequence);
    checksumOffset = l4 + 2;
  }
  frame.set(payload, l4 + l4Header);

  // ICMPv4 has no pseudo-header; TCP, UDP and ICMPv6 do.
  let sum = 0;
  if (protocol !== PROTO_ICMP) {
    sum = onesComplementSum(spec.srcIp, 0, spec.srcIp.length, sum);
    sum = onesComplementSum(spec.dstIp, 0, spec.dstIp.length, sum);
    sum += protocol + (l4Length & 0xffff) + (l4Length >>> 16);
  }
  sum = onesComplementSum(frame, l4, frame.length, sum);
  let checksum = finishChecksum(sum);
  if (checksum === 0 && protocol === PROTO_UDP) checksum = 0xffff; // 0 means "no checksum" for UDP
  view.setUint16(checksumOffset, checksum);
  return frame;
}
