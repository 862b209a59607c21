/**
 * Conversations as lazy generators: each yields its packets in order (handshake, exchanges, close)
 * and the traffic driver interleaves them on a shared clock.
 */
import { SeededRandom } from './prng';
import { buildFrame, TCP_FLAGS, type FrameSpec } from './frames';
import { dnsAnswer, dnsQuery, type DnsQuestion } from './dns';

export interface FlowInfo {
  protocol: 'TCP' | 'UDP' | 'ICMP';
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
}

export interface SessionPacket {
  data: Uint8Array;
  flow: FlowInfo;
}

export interface Host {
  ip: string;
  bytes: Uint8Array;
}

export interface TrafficContext {
  rng: SeededRandom;
  vmMac: Uint8Array;
  gatewayMac: Uint8Array;
  /** Pseudo-random bytes that payloads are cut from (content does not matter, only determinism). */
  filler: Uint8Array;
  nextIpId(): number;
  ephemeralPort(): number;
}

const MSS = 1460;

interface Endpoints {
  /** The host that opened the conversation and the one it talks to. */
  client: Host;
  server: Host;
  clientPort: number;
  serverPort: number;
  clientIsLocal: boolean;
}

class Wire {
  constructor(
    private readonly ctx: TrafficContext,
    private readonly ends: Endpoints,
    private readonly protocol: FlowInfo['protocol'],
  ) {}

  payload(length: number): Uint8Array {
    const start = this.ctx.rng.int(0, this.ctx.filler.length - length);
    return this.ctx.filler.subarray(start, start + length);
  }

  packet(fromClient: boolean, transport: FrameSpec['transport']): SessionPacket {
    const { client, server, clientIsLocal } = this.ends;
    const src = fromClient ? client : server;
    const dst = fromClient ? server : client;
    const fromLocal = fromClient === clientIsLocal;
    const data = buildFrame({
      srcMac: fromLocal ? this.ctx.vmMac : this.ctx.gatewayMac,
      dstMac: fromLocal ? this.ctx.gatewayMac : this.ctx.vmMac,
      srcIp: src.bytes,
      dstIp: dst.bytes,
      ttl: fromLocal ? 64 : 52,
      ipId: this.ctx.nextIpId(),
      transport,
    });
    const srcPort = fromClient ? this.ends.clientPort : this.ends.serverPort;
    const dstPort = fromClient ? this.ends.serverPort : this.ends.clientPort;
    return { data, flow: { protocol: this.protocol, srcIp: src.ip, dstIp: dst.ip, srcPort, dstPort } };
  }
}

/** Tracks both sequence spaces of one TCP connection so every segment acknowledges what it saw. */
class TcpConnection {
  private readonly wire: Wire;
  private clientNext: number;
  private serverNext: number;

  constructor(
    ctx: TrafficContext,
    private readonly ends: Endpoints,
  ) {
    this.wire = new Wire(ctx, ends, 'TCP');
    this.clientNext = ctx.rng.uint32();
    this.serverNext = ctx.rng.uint32();
  }

  send(fromClient: boolean, flags: number, payload: number | Uint8Array = 0): SessionPacket {
    const payloadLength = typeof payload === 'number' ? payload : payload.length;
    const seq = fromClient ? this.clientNext : this.serverNext;
    const ack = flags & TCP_FLAGS.ACK ? (fromClient ? this.serverNext : this.clientNext) : 0;
    const consumes = payloadLength + (flags & (TCP_FLAGS.SYN | TCP_FLAGS.FIN) ? 1 : 0);
    if (fromClient) this.clientNext = (this.clientNext + consumes) >>> 0;
    else this.serverNext = (this.serverNext + consumes) >>> 0;
    return this.wire.packet(fromClient, {
      kind: 'tcp',
      srcPort: fromClient ? this.ends.clientPort : this.ends.serverPort,
      dstPort: fromClient ? this.ends.serverPort : this.ends.clientPort,
      seq,
      ack,
      flags,
      window: flags & TCP_FLAGS.SYN ? 64240 : 502,
      synOptions: (flags & TCP_FLAGS.SYN) !== 0,
      payload: typeof payload === 'number' ? (payload > 0 ? this.wire.payload(payload) : undefined) : payload,
    });
  }

  /** A SYN sent again: same sequence number as the first one. */
  retransmitSyn(): SessionPacket {
    this.clientNext = (this.clientNext - 1) >>> 0;
    return this.send(true, TCP_FLAGS.SYN);
  }

  *handshake(): Generator<SessionPacket> {
    yield this.send(true, TCP_FLAGS.SYN);
    yield this.send(false, TCP_FLAGS.SYN | TCP_FLAGS.ACK);
    yield this.send(true, TCP_FLAGS.ACK);
  }

  /**
   * `content` (given bytes, or that many filler bytes) in MSS-sized segments, the receiver
   * acknowledging every second one and the last.
   */
  *transfer(fromClient: boolean, content: number | Uint8Array): Generator<SessionPacket> {
    const total = typeof content === 'number' ? content : content.length;
    let segments = 0;
    for (let sent = 0; sent < total;) {
      const size = Math.min(MSS, total - sent);
      const part = typeof content === 'number' ? size : content.subarray(sent, sent + size);
      sent += size;
      yield this.send(fromClient, TCP_FLAGS.ACK | (sent === total ? TCP_FLAGS.PSH : 0), part);
      if (++segments % 2 === 0 || sent === total) yield this.send(!fromClient, TCP_FLAGS.ACK);
    }
  }

  *close(): Generator<SessionPacket> {
    yield this.send(true, TCP_FLAGS.FIN | TCP_FLAGS.ACK);
    yield this.send(false, TCP_FLAGS.FIN | TCP_FLAGS.ACK);
    yield this.send(true, TCP_FLAGS.ACK);
  }
}

export interface TcpConversationOptions extends Endpoints {
  outcome: 'closed' | 'reset' | 'refused' | 'unanswered';
  exchanges: number;
  /** A request and its response: their bytes, or how many opaque bytes (encrypted protocols). */
  exchange?: (index: number) => { request: number | Uint8Array; response: number | Uint8Array };
}

export function* tcpConversation(ctx: TrafficContext, o: TcpConversationOptions): Generator<SessionPacket> {
  const tcp = new TcpConnection(ctx, o);
  if (o.outcome === 'unanswered') {
    yield tcp.send(true, TCP_FLAGS.SYN);
    yield tcp.retransmitSyn();
    yield tcp.retransmitSyn();
    return;
  }
  if (o.outcome === 'refused') {
    yield tcp.send(true, TCP_FLAGS.SYN);
    yield tcp.send(false, TCP_FLAGS.RST | TCP_FLAGS.ACK);
    return;
  }
  yield* tcp.handshake();
  const resetAfter = o.outcome === 'reset' ? ctx.rng.int(0, o.exchanges - 1) : -1;
  for (let i = 0; i < o.exchanges; i++) {
    const { request, response } = o.exchange?.(i) ?? { request: 0, response: 0 };
    yield* tcp.transfer(true, request);
    if (i === resetAfter) {
      yield tcp.send(false, TCP_FLAGS.RST | TCP_FLAGS.ACK);
      return;
    }
    yield* tcp.transfer(false, response);
  }
  yield* tcp.close();
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A plain HTTP/1.1 GET and its response, so that dissectors see well-formed messages. */
export function httpExchange(
  ctx: TrafficContext,
  hostName: string,
  bodyBytes: number,
): { request: Uint8Array; response: Uint8Array } {
  const path = `/packages/pool/${ctx.rng.int(1, 99999)}.deb`;
  const request = ascii(
    `GET ${path} HTTP/1.1\r\nHost: ${hostName}\r\nUser-Agent: apt/2.6\r\nAccept: */*\r\n\r\n`,
  );
  const head = ascii(
    `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
  );
  const response = new Uint8Array(head.length + bodyBytes);
  response.set(head);
  const start = ctx.rng.int(0, ctx.filler.length - bodyBytes);
  response.set(ctx.filler.subarray(start, start + bodyBytes), head.length);
  return { request, response };
}

/** A long upload from the client that never ends by itself: the traffic an alert fires on. */
export function* bulkUpload(ctx: TrafficContext, ends: Endpoints): Generator<SessionPacket> {
  const tcp = new TcpConnection(ctx, ends);
  yield* tcp.handshake();
  for (;;) yield* tcp.transfer(true, 64 * MSS);
}

export function* dnsLookup(
  ctx: TrafficContext,
  ends: Endpoints,
  question: DnsQuestion,
  answer: Uint8Array,
): Generator<SessionPacket> {
  const wire = new Wire(ctx, ends, 'UDP');
  const udp = (fromClient: boolean, payload: Uint8Array) =>
    wire.packet(fromClient, {
      kind: 'udp',
      srcPort: fromClient ? ends.clientPort : ends.serverPort,
      dstPort: fromClient ? ends.serverPort : ends.clientPort,
      payload,
    });
  yield udp(true, dnsQuery(question));
  yield udp(false, dnsAnswer(question, answer, ctx.rng.int(30, 3600)));
}

/** An SNTP client request (version 4, mode 3) and the server's answer (mode 4, stratum 2). */
export function* ntpExchange(ctx: TrafficContext, ends: Endpoints): Generator<SessionPacket> {
  const wire = new Wire(ctx, ends, 'UDP');
  const message = (mode: number) => {
    const payload = new Uint8Array(48);
    payload[0] = (4 << 3) | mode;
    payload[1] = mode === 4 ? 2 : 0;
    payload[2] = 6; // poll interval 2^6 s
    payload[3] = 0xe9; // precision 2^-23 s
    payload.set(wire.payload(8), 40); // transmit timestamp
    return payload;
  };
  const udp = (fromClient: boolean, payload: Uint8Array) =>
    wire.packet(fromClient, {
      kind: 'udp',
      srcPort: fromClient ? ends.clientPort : ends.serverPort,
      dstPort: fromClient ? ends.serverPort : ends.clientPort,
      payload,
    });
  yield udp(true, message(3));
  yield udp(false, message(4));
}

export function* pings(ctx: TrafficContext, ends: Endpoints, count: number): Generator<SessionPacket> {
  const wire = new Wire(ctx, ends, 'ICMP');
  const identifier = ctx.rng.int(1, 0xffff);
  for (let sequence = 1; sequence <= count; sequence++) {
    const payload = wire.payload(56);
    yield wire.packet(true, { kind: 'icmp-echo', reply: false, identifier, sequence, payload });
    yield wire.packet(false, { kind: 'icmp-echo', reply: true, identifier, sequence, payload });
  }
}
