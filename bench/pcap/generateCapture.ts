/**
 * Writes benchmark captures with the synthetic traffic writer: either realistic VM traffic
 * (`kind: 'traffic'`) or a wide capture where almost every packet opens a new flow (`kind: 'flows'`),
 * both with one dominant upload. Deterministic: the same options give the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import {
  buildFrame,
  CaptureWriter,
  SeededRandom,
  syntheticTraffic,
  TCP_FLAGS,
  parseIp,
} from '../../local/traffic';

export interface BenchCaptureOptions {
  file: string;
  format: 'pcap' | 'pcapng';
  packets: number;
  kind: 'traffic' | 'flows';
  /** `flows` kind: number of distinct 5-tuples besides the dominant one. */
  flows?: number;
  seed?: number;
}

const START_MS = Date.UTC(2025, 5, 1, 2, 0, 0);

interface Frame {
  timestampNs: bigint;
  data: Uint8Array;
}

function* realisticTraffic(packets: number, seed: number): Generator<Frame> {
  // 10k packets/s with 8% of them in the upload averages about 540 bytes per packet.
  const packetsPerSecond = 10_000;
  let left = packets;
  for (const frame of syntheticTraffic({
    startTimeMs: START_MS,
    durationSeconds: Math.ceil((packets / packetsPerSecond) * 1.2) + 10,
    localIp: '10.1.0.4',
    seed,
    packetsPerSecond,
    flows: 256,
    ipv6Share: 0.15,
    dominantShare: 0.08,
  })) {
    if (left-- === 0) return;
    yield frame;
  }
}

function* wideTraffic(packets: number, flows: number, seed: number): Generator<Frame> {
  const rng = new SeededRandom(seed);
  const vmMac = Uint8Array.of(0x00, 0x0d, 0x3a, 1, 2, 3);
  const gatewayMac = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc);
  const local4 = parseIp('10.1.0.4');
  const local6 = parseIp('fd00:db8::4');
  const storage = parseIp('20.60.1.2');
  const payload = new Uint8Array(1460).map(() => rng.int(0, 255));
  const remote4 = new Uint8Array(4);
  const remote6 = new Uint8Array(16);
  remote6.set(parseIp('2603:1030::'));
  let timeNs = BigInt(START_MS) * 1_000_000n;
  let seq = 1;
  for (let i = 0; i < packets; i++) {
    timeNs += BigInt(rng.int(1, 200_000));
    let data: Uint8Array;
    if (rng.chance(0.12)) {
      data = buildFrame({
        srcMac: vmMac,
        dstMac: gatewayMac,
        srcIp: local4,
        dstIp: storage,
        ttl: 64,
        ipId: i,
        transport: {
          kind: 'tcp',
          srcPort: 50000,
          dstPort: 443,
          seq,
          ack: 1,
          flags: TCP_FLAGS.ACK,
          window: 502,
          payload,
        },
      });
      seq += payload.length;
    } else {
      // Flow k: a remote address and port pair derived from k, so `flows` distinct 5-tuples cycle
      // (about 88% of the packets are background, so `flows` = `packets` gives ~0.88 * packets flows).
      const k = i % flows;
      const v6 = k % 7 === 0;
      const udp = k % 3 === 0;
      remote4[0] = 40 + (k >>> 24);
      remote4[1] = (k >>> 16) & 0xff;
      remote4[2] = (k >>> 8) & 0xff;
      remote4[3] = k & 0xff;
      remote6.set(remote4, 12);
      const size = rng.int(0, 600);
      const body = payload.subarray(0, size);
      const srcPort = 1024 + (k % 60000);
      const dstPort = udp ? 53 : 443;
      data = buildFrame({
        srcMac: gatewayMac,
        dstMac: vmMac,
        srcIp: v6 ? remote6 : remote4,
        dstIp: v6 ? local6 : local4,
        ttl: 50,
        ipId: i,
        transport: udp
          ? { kind: 'udp', srcPort, dstPort, payload: body }
          : {
              kind: 'tcp',
              srcPort,
              dstPort,
              seq: k,
              ack: 1,
              flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
              window: 502,
              payload: body,
            },
      });
    }
    yield { timestampNs: timeNs, data };
  }
}

export async function generateCapture(
  options: BenchCaptureOptions,
): Promise<{ packets: number; bytes: number }> {
  const writer = new CaptureWriter({ format: options.format });
  const out = createWriteStream(options.file, { highWaterMark: 4 * 1024 * 1024 });
  const seed = options.seed ?? 1;
  const frames =
    options.kind === 'traffic'
      ? realisticTraffic(options.packets, seed)
      : wideTraffic(options.packets, options.flows ?? 1_000_000, seed);
  let bytes = 0;
  let packets = 0;
  const write = (chunk: Buffer) => {
    bytes += chunk.length;
    return out.write(chunk);
  };
  write(writer.header());
  for (const frame of frames) {
    packets++;
    if (!write(writer.frame(frame))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { packets, bytes };
}
