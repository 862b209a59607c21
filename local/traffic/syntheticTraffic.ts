/**
 * Deterministic synthetic traffic as seen on a VM's NIC: web and API calls, inbound SSH, refused and
 * unanswered connection attempts, DNS and NTP, pings, some IPv6, and one dominant upload. Lazy: a
 * five-hour session is produced packet by packet, never held in memory.
 */
import { formatIp, parseIp } from './addresses';
import { SeededRandom } from './prng';
import {
  bulkUpload,
  dnsLookup,
  httpExchange,
  ntpExchange,
  pings,
  tcpConversation,
  type FlowInfo,
  type Host,
  type SessionPacket,
  type TrafficContext,
} from './sessions';

export interface SyntheticTrafficOptions {
  startTimeMs: number;
  durationSeconds: number;
  /** The VM's address (IPv4 or IPv6); the other family gets a derived private address. */
  localIp: string;
  seed: number;
  /** Mean packet rate (Poisson arrivals). Default 50. */
  packetsPerSecond?: number;
  /** Background conversations open at any time; each one ending is replaced by a new one. Default 24. */
  flows?: number;
  /** Share of background conversations carried over IPv6, 0..1. Default 0.1. */
  ipv6Share?: number;
  /** Share of packets belonging to one large outbound upload, 0..1 (0: none). Default 0.5. */
  dominantShare?: number;
}

export interface SyntheticFrame {
  timestampNs: bigint;
  data: Uint8Array;
  /** Addresses and ports of this packet, in its own direction. */
  flow: FlowInfo;
}

const VM_MAC = Uint8Array.of(0x00, 0x0d, 0x3a, 0x5c, 0x21, 0x7e);
/** Azure's virtual gateway answers every off-VM destination from this MAC. */
const GATEWAY_MAC = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc);
const AZURE_DNS = '168.63.129.16';
const NAMES = [
  'management.azure.com',
  'login.microsoftonline.com',
  'stcaptures.blob.core.windows.net',
  'packages.microsoft.com',
  'deb.debian.org',
  'api.github.com',
  'time.windows.com',
  'monitor.azure.com',
];

function validate(o: SyntheticTrafficOptions): Required<SyntheticTrafficOptions> {
  const full = { packetsPerSecond: 50, flows: 24, ipv6Share: 0.1, dominantShare: 0.5, ...o };
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be > 0, got ${value}`);
  };
  const share = (name: string, value: number) => {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0..1, got ${value}`);
  };
  if (!Number.isFinite(full.startTimeMs) || full.startTimeMs < 0) {
    throw new RangeError(`startTimeMs must be a time in ms since 1970, got ${full.startTimeMs}`);
  }
  positive('durationSeconds', full.durationSeconds);
  positive('packetsPerSecond', full.packetsPerSecond);
  if (!Number.isInteger(full.flows) || full.flows < 1) throw new RangeError(`flows must be an integer >= 1`);
  share('ipv6Share', full.ipv6Share);
  share('dominantShare', full.dominantShare);
  parseIp(full.localIp);
  return full;
}

/** Remote hosts drawn once per seed; earlier entries are picked more often (a few top talkers). */
class Talkers {
  readonly webV4: Host[];
  readonly webV6: Host[];
  readonly adminsV4: Host[];
  readonly adminsV6: Host[];
  readonly weights: number[];

  constructor(rng: SeededRandom) {
    const v4 = (prefix: number[]) =>
      host(
        formatIp(
          Uint8Array.from([...prefix, ...Array.from({ length: 4 - prefix.length }, () => rng.int(1, 254))]),
        ),
      );
    const v6 = (prefix: string) =>
      host(`${prefix}${rng.int(1, 0xffff).toString(16)}:${rng.int(1, 0xffff).toString(16)}`);
    const webPrefixes = [
      [20, 60],
      [13, 107],
      [52, 239],
      [40, 126],
      [104, 208],
      [151, 101],
      [140, 82],
      [20, 42],
      [52, 96],
      [23],
    ];
    this.webV4 = webPrefixes.map((p) => v4(p));
    this.webV6 = ['2603:1030:20c::', '2620:1ec:bdf::', '2a04:4e42:400::', '2606:50c0:8000::'].map((p) =>
      v6(p),
    );
    this.adminsV4 = [
      [203, 0, 113],
      [198, 51, 100],
      [185, 220],
      [45, 155],
    ].map((p) => v4(p));
    this.adminsV6 = [v6('2001:db8:ad::')];
    this.weights = Array.from({ length: 16 }, (_, i) => 1 / (i + 1));
  }

  pick(rng: SeededRandom, hosts: Host[]): Host {
    return hosts[rng.weighted(this.weights.slice(0, hosts.length))] as Host;
  }
}

function host(ip: string): Host {
  return { ip, bytes: parseIp(ip) };
}

type SessionKind = 'https' | 'http' | 'sshIn' | 'refusedIn' | 'unanswered' | 'dns' | 'ntp' | 'ping';
const KINDS: readonly SessionKind[] = [
  'https',
  'http',
  'sshIn',
  'refusedIn',
  'unanswered',
  'dns',
  'ntp',
  'ping',
];
const KIND_WEIGHTS = [34, 5, 8, 5, 5, 25, 4, 8];

function* generate(o: Required<SyntheticTrafficOptions>): Generator<SyntheticFrame> {
  const rng = new SeededRandom(o.seed);
  const localBytes = parseIp(o.localIp);
  const localV4 = localBytes.length === 4 ? host(o.localIp) : host('10.0.0.4');
  const localV6 =
    localBytes.length === 16 ? host(o.localIp) : host(`fd00:db8:0:1::${localBytes[3]?.toString(16)}`);
  const filler = new Uint8Array(64 * 1024);
  for (let i = 0; i < filler.length; i += 4) new DataView(filler.buffer).setUint32(i, rng.uint32());
  let ipId = rng.int(0, 0xffff);
  let port = rng.int(32768, 60999);
  const ctx: TrafficContext = {
    rng,
    vmMac: VM_MAC,
    gatewayMac: GATEWAY_MAC,
    filler,
    nextIpId: () => (ipId = (ipId + 1) & 0xffff),
    ephemeralPort: () => (port = port >= 60999 ? 32768 : port + 1),
  };
  const talkers = new Talkers(rng);
  const dns = host(AZURE_DNS);
  const ntp = host('51.145.123.29');

  const newSession = (): Generator<SessionPacket> => {
    const kind = KINDS[rng.weighted(KIND_WEIGHTS)] as SessionKind;
    const v6 = rng.chance(o.ipv6Share);
    const local = v6 ? localV6 : localV4;
    const web = () => talkers.pick(rng, v6 ? talkers.webV6 : talkers.webV4);
    const outbound = (server: Host, serverPort: number) => ({
      client: local,
      server,
      clientPort: ctx.ephemeralPort(),
      serverPort,
      clientIsLocal: true,
    });
    const inbound = (client: Host, serverPort: number) => ({
      client,
      server: local,
      clientPort: rng.int(1024, 65535),
      serverPort,
      clientIsLocal: false,
    });
    switch (kind) {
      case 'https':
        return tcpConversation(ctx, {
          ...outbound(web(), 443),
          outcome: rng.chance(0.1) ? 'reset' : 'closed',
          exchanges: rng.int(1, 4),
          exchange: () => ({ request: rng.int(200, 1200), response: rng.int(300, 12000) }),
        });
      case 'http':
        return tcpConversation(ctx, {
          ...outbound(web(), 80),
          outcome: rng.chance(0.1) ? 'reset' : 'closed',
          exchanges: rng.int(1, 3),
          exchange: () => httpExchange(ctx, 'deb.debian.org', rng.int(100, 16000)),
        });
      case 'sshIn':
        return tcpConversation(ctx, {
          ...inbound(talkers.pick(rng, v6 ? talkers.adminsV6 : talkers.adminsV4), 22),
          outcome: 'closed',
          exchanges: rng.int(3, 12),
          exchange: () => ({ request: rng.int(36, 120), response: rng.int(36, 600) }),
        });
      case 'refusedIn':
        return tcpConversation(ctx, {
          ...inbound(
            talkers.pick(rng, v6 ? talkers.adminsV6 : talkers.adminsV4),
            rng.pick([3389, 23, 445, 5900]),
          ),
          outcome: 'refused',
          exchanges: 0,
        });
      case 'unanswered':
        return tcpConversation(ctx, {
          ...outbound(web(), 8443),
          outcome: 'unanswered',
          exchanges: 0,
        });
      case 'dns': {
        const wantsV6 = rng.chance(0.3);
        const answer = (wantsV6 ? talkers.pick(rng, talkers.webV6) : talkers.pick(rng, talkers.webV4)).bytes;
        const question = { id: rng.int(0, 0xffff), name: rng.pick(NAMES), type: wantsV6 ? 28 : 1 } as const;
        return dnsLookup(ctx, { ...outbound(dns, 53), client: localV4 }, question, answer);
      }
      case 'ntp':
        return ntpExchange(ctx, { ...outbound(ntp, 123), client: localV4 });
      case 'ping':
        return pings(ctx, { ...outbound(web(), 0), clientPort: 0 }, rng.int(1, 4));
    }
  };

  const dominant =
    o.dominantShare > 0
      ? bulkUpload(ctx, {
          client: localV4,
          server: host('20.60.' + rng.int(1, 254) + '.' + rng.int(1, 254)),
          clientPort: ctx.ephemeralPort(),
          serverPort: 443,
          clientIsLocal: true,
        })
      : undefined;
  const slots = Array.from({ length: o.flows }, newSession);
  const startNs = BigInt(Math.round(o.startTimeMs)) * 1_000_000n;
  const durationNs = o.durationSeconds * 1e9;
  const meanGapNs = 1e9 / o.packetsPerSecond;

  for (
    let offsetNs = rng.exponential(meanGapNs);
    offsetNs < durationNs;
    offsetNs += rng.exponential(meanGapNs)
  ) {
    let packet: SessionPacket;
    if (dominant && rng.chance(o.dominantShare)) {
      packet = dominant.next().value as SessionPacket;
    } else {
      const slot = rng.int(0, slots.length - 1);
      let next = (slots[slot] as Generator<SessionPacket>).next();
      while (next.done) {
        const fresh = newSession();
        slots[slot] = fresh;
        next = fresh.next();
      }
      packet = next.value;
    }
    yield { timestampNs: startNs + BigInt(Math.round(offsetNs)), data: packet.data, flow: packet.flow };
  }
}

/**
 * The traffic for the given options. Each iteration starts over and yields the same frames, in
 * timestamp order; options are checked at once (RangeError/TypeError), not on first iteration.
 */
export function syntheticTraffic(options: SyntheticTrafficOptions): Iterable<SyntheticFrame> {
  const full = validate(options);
  return { [Symbol.iterator]: () => generate(full) };
}
