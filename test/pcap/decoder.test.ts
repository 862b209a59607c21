/** Header decoding on hand-made packets: IPv4 options and fragments, IPv6 extension headers, cuts. */
import { describe, expect, it } from 'vitest';
import { buildFrame, parseIp, TCP_FLAGS, type FrameSpec } from '../../local/traffic';
import { decodePacket, DecodedPacket, NETWORK } from '../../src/pcap/PacketDecoder';
import { LINKTYPE } from '../../src/pcap/linkTypes';

const macs = { srcMac: new Uint8Array(6), dstMac: new Uint8Array(6), ttl: 64, ipId: 1 };
const udp: FrameSpec['transport'] = { kind: 'udp', srcPort: 5353, dstPort: 53, payload: new Uint8Array(20) };
const tcp: FrameSpec['transport'] = {
  kind: 'tcp',
  srcPort: 40000,
  dstPort: 443,
  seq: 1,
  ack: 0,
  flags: TCP_FLAGS.SYN,
  window: 1000,
};
const v4 = (transport: FrameSpec['transport']) =>
  buildFrame({ ...macs, srcIp: parseIp('10.0.0.1'), dstIp: parseIp('10.0.0.2'), transport });
const v6 = (transport: FrameSpec['transport']) =>
  buildFrame({ ...macs, srcIp: parseIp('fd00::1'), dstIp: parseIp('2001:db8::2'), transport });

function decode(
  frame: Uint8Array,
  linkType: number = LINKTYPE.ETHERNET,
  length = frame.length,
): DecodedPacket {
  const out = new DecodedPacket();
  decodePacket(linkType, frame, 0, length, out);
  return out;
}

function splice(frame: Uint8Array, at: number, inserted: number[]): Uint8Array {
  return Uint8Array.from([...frame.subarray(0, at), ...inserted, ...frame.subarray(at)]);
}

describe('decodePacket', () => {
  it('skips IPv4 options using the header length', () => {
    const frame = splice(v4(udp), 34, [1, 1, 1, 1, 1, 1, 1, 0]); // NOPs and end of options
    frame[14] = 0x47; // IHL 7
    const d = decode(frame);
    expect(d).toMatchObject({
      network: NETWORK.IPV4,
      protocol: 17,
      hasPorts: true,
      srcPort: 5353,
      dstPort: 53,
    });
    expect(d.src[0]).toBe(0x0a000001);
  });

  it('takes ports from a first fragment and none from later ones', () => {
    const first = v4(udp);
    first[20] = 0x20; // more fragments, offset 0
    expect(decode(first)).toMatchObject({ hasPorts: true, laterFragment: false });
    const later = v4(udp);
    later[20] = 0x00;
    later[21] = 0xb9; // offset 185 * 8
    expect(decode(later)).toMatchObject({ protocol: 17, hasPorts: false, laterFragment: true });
  });

  it('walks IPv6 extension headers to the transport', () => {
    const frame = v6(tcp);
    // Hop-by-hop (8 bytes, PadN) then a fragment header (offset 0), both before TCP.
    const withExtensions = splice(frame, 54, [44, 0, 1, 4, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 1]);
    withExtensions[20] = 0; // next header: hop-by-hop
    const d = decode(withExtensions);
    expect(d).toMatchObject({
      network: NETWORK.IPV6,
      protocol: 6,
      srcPort: 40000,
      dstPort: 443,
      tcpFlags: TCP_FLAGS.SYN,
    });
    expect(Array.from(d.dst)).toEqual([0x20010db8, 0, 0, 2]);
    const later = Uint8Array.from(withExtensions);
    later[64] = 0x05; // fragment offset 5 * 8 bytes
    later[65] = 0x00;
    expect(decode(later)).toMatchObject({ protocol: 6, hasPorts: false, laterFragment: true });
  });

  it('reads ICMP and ICMPv6 types', () => {
    const echo = {
      kind: 'icmp-echo',
      reply: false,
      identifier: 1,
      sequence: 1,
      payload: new Uint8Array(8),
    } as const;
    expect(decode(v4(echo))).toMatchObject({ protocol: 1, icmpType: 8, hasPorts: false });
    expect(decode(v6(echo))).toMatchObject({ protocol: 58, icmpType: 128 });
  });

  it('marks headers cut by the snap length and keeps what is there', () => {
    const frame = v4(tcp);
    expect(decode(frame, LINKTYPE.ETHERNET, 36)).toMatchObject({
      protocol: 6,
      hasPorts: false,
      headersCut: true,
    });
    expect(decode(frame, LINKTYPE.ETHERNET, 40)).toMatchObject({
      hasPorts: true,
      tcpFlags: -1,
      headersCut: true,
    });
    expect(decode(frame, LINKTYPE.ETHERNET, 20)).toMatchObject({
      network: NETWORK.IPV4,
      protocol: -1,
      headersCut: true,
    });
    expect(decode(frame, LINKTYPE.ETHERNET, 10)).toMatchObject({
      network: NETWORK.UNDECODED,
      headersCut: true,
    });
  });

  it('decodes raw IP, loopback and unknown link types', () => {
    const ip = v6(udp).slice(14);
    expect(decode(ip, LINKTYPE.RAW)).toMatchObject({ network: NETWORK.IPV6, srcPort: 5353 });
    expect(decode(ip, LINKTYPE.IPV6)).toMatchObject({ network: NETWORK.IPV6 });
    const loopback = Uint8Array.from([2, 0, 0, 0, ...v4(udp).slice(14)]);
    expect(decode(loopback, LINKTYPE.NULL)).toMatchObject({ network: NETWORK.IPV4, dstPort: 53 });
    expect(decode(v4(udp), 147)).toMatchObject({ network: NETWORK.UNDECODED, headersCut: false });
  });

  it('classifies ARP and other ethertypes', () => {
    const arp = new Uint8Array(42);
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(decode(arp)).toMatchObject({ network: NETWORK.ARP });
    const lldp = new Uint8Array(60);
    lldp[12] = 0x88;
    lldp[13] = 0xcc;
    expect(decode(lldp)).toMatchObject({ network: NETWORK.OTHER, etherType: 0x88cc });
  });
});
