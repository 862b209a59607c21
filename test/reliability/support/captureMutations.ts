import fc from 'fast-check';
import { CaptureWriter } from '../../../local/traffic';
import { captureBytes, trafficFrames } from '../../pcap/helpers/captures';
import {
  enhancedPacket,
  interfaceDescription,
  obsoletePacket,
  block,
  sectionHeader,
  simplePacket,
} from '../../pcap/helpers/pcapngBlocks';

/** A seed file and the offsets where its records (pcap) or blocks (pcapng) start. */
export interface SeedCapture {
  name: string;
  bytes: Buffer;
  recordStarts: number[];
}

export interface MutatedCapture {
  seed: string;
  bytes: Buffer;
  mutations: string[];
}

const frames = trafficFrames({ durationSeconds: 1, packetsPerSecond: 150, ipv6Share: 0.3 });

function pcapSeed(name: string, options: ConstructorParameters<typeof CaptureWriter>[0]): SeedCapture {
  const bytes = captureBytes(frames, options);
  const read = options.bigEndian
    ? (o: number) => bytes.readUInt32BE(o)
    : (o: number) => bytes.readUInt32LE(o);
  const recordStarts: number[] = [];
  for (let o = 24; o + 16 <= bytes.length; o += 16 + read(o + 8)) recordStarts.push(o);
  return { name, bytes, recordStarts };
}

/** Several sections of both byte orders, interfaces of several link types and resolutions, every packet block kind, an unknown block. */
function pcapngSeed(): SeedCapture {
  const parts: Buffer[] = [];
  const push = (part: Buffer) => parts.push(part);
  frames.slice(0, 60).forEach((frame, i) => {
    if (i === 0 || i === 30) {
      const le = i === 0;
      push(sectionHeader(le));
      push(interfaceDescription({ linkType: 1, tsresol: 9 }, le));
      push(interfaceDescription({ linkType: 1, tsresol: 0x86, tsoffsetSeconds: 3600 }, le));
      push(block(0x0bad, Buffer.from('opaque vendor block'), le));
    }
    const le = i < 30;
    const units = frame.timestampNs;
    if (i % 7 === 3) push(simplePacket(frame.data, le));
    else if (i % 11 === 5) push(obsoletePacket(1, units / 1000n, frame.data, le));
    else push(enhancedPacket(i % 2, i % 2 === 0 ? units : units / 1000n, frame.data, le));
  });
  const bytes = Buffer.concat(parts);
  const recordStarts: number[] = [];
  for (let o = 0, le = true; o + 12 <= bytes.length;) {
    recordStarts.push(o);
    if (bytes.readUInt32LE(o) === 0x0a0d0d0a) le = bytes.readUInt32LE(o + 8) === 0x1a2b3c4d;
    o += le ? bytes.readUInt32LE(o + 4) : bytes.readUInt32BE(o + 4);
  }
  return { name: 'pcapng, 2 sections, mixed blocks', bytes, recordStarts };
}

export const SEED_CAPTURES: readonly SeedCapture[] = [
  pcapSeed('pcap µs little-endian', { format: 'pcap' }),
  pcapSeed('pcap ns big-endian', { format: 'pcap', nanosecond: true, bigEndian: true }),
  pcapSeed('pcap snap 64', { format: 'pcap', snapLength: 64 }),
  pcapngSeed(),
];

/** Values that length and count fields get: empty, off by one, huge, negative as signed. */
const FIELD_VALUES = [
  0,
  1,
  3,
  15,
  16,
  17,
  0xff,
  0xffff,
  0x7fffffff,
  0x80000000,
  0xfffffff0,
  0xffffffff,
  16 * 1024 * 1024 + 1,
];

/** Offsets inside an Ethernet frame where header fields sit (IPv4/IPv6, TCP/UDP, VLAN). */
const FRAME_FIELDS = [12, 13, 14, 15, 16, 17, 20, 21, 23, 26, 30, 34, 36, 40, 46, 47, 54];

type Mutator = (
  bytes: Buffer,
  seed: SeedCapture,
  draw: (n: number) => number,
) => { bytes: Buffer; what: string };

const MUTATORS: Mutator[] = [
  (bytes, seed, draw) => {
    const start = seed.recordStarts[draw(seed.recordStarts.length)] ?? 0;
    const at = start + 4 * draw(6);
    const value = FIELD_VALUES[draw(FIELD_VALUES.length)]!;
    if (at + 4 <= bytes.length) bytes.writeUInt32LE(value >>> 0, at);
    return { bytes, what: `record field @${at} = ${value}` };
  },
  (bytes, seed, draw) => {
    const start = seed.recordStarts[draw(seed.recordStarts.length)] ?? 0;
    const header = seed.name.startsWith('pcapng') ? 28 : 16;
    const at = start + header + FRAME_FIELDS[draw(FRAME_FIELDS.length)]!;
    const value = draw(256);
    if (at < bytes.length) bytes[at] = value;
    return { bytes, what: `frame byte @${at} = ${value}` };
  },
  (bytes, _seed, draw) => {
    // The link type of the pcap header, or the first interface's.
    if (bytes.length < 24) return { bytes, what: 'too short for a link type' };
    const at = bytes.readUInt32LE(0) === 0x0a0d0d0a ? bytes.readUInt32LE(4) + 8 : 20;
    const value = [0, 1, 101, 113, 276, 228, 229, 0, 0xffff][draw(9)]!;
    if (at + 2 <= bytes.length) bytes.writeUInt16LE(value, at);
    return { bytes, what: `link type @${at} = ${value}` };
  },
  (bytes, _seed, draw) => {
    const cut = draw(bytes.length);
    return { bytes: bytes.subarray(0, cut), what: `cut at ${cut}` };
  },
  (bytes, seed, draw) => {
    const at = seed.recordStarts[draw(seed.recordStarts.length)] ?? 0;
    const junk = Buffer.alloc(draw(40) + 1, draw(256));
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]),
      what: `insert ${junk.length} bytes @${at}`,
    };
  },
  (bytes, seed, draw) => {
    const other = SEED_CAPTURES[draw(SEED_CAPTURES.length)]!;
    const from = other.recordStarts[draw(other.recordStarts.length)] ?? 0;
    const at = seed.recordStarts[draw(seed.recordStarts.length)] ?? 0;
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), other.bytes.subarray(from)]),
      what: `splice ${other.name} @${from} into @${at}`,
    };
  },
  (bytes, _seed, draw) => {
    const flips = draw(8) + 1;
    for (let i = 0; i < flips; i++) {
      const at = draw(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << draw(8));
    }
    return { bytes, what: `${flips} bit flips` };
  },
];

/** Seed captures with one to four structure-aware mutations. */
export function mutatedCapture(): fc.Arbitrary<MutatedCapture> {
  return fc
    .record({
      seed: fc.nat({ max: SEED_CAPTURES.length - 1 }),
      steps: fc.array(
        fc.tuple(fc.nat({ max: MUTATORS.length - 1 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 })),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
    })
    .map(({ seed, steps }) => {
      const origin = SEED_CAPTURES[seed]!;
      let bytes = Buffer.from(origin.bytes);
      const mutations: string[] = [];
      for (const [which, draws] of steps) {
        let i = 0;
        const draw = (n: number) => (n <= 0 ? 0 : draws[i++ % draws.length]! % n);
        const result = MUTATORS[which]!(bytes, origin, draw);
        bytes = Buffer.from(result.bytes);
        mutations.push(result.what);
      }
      // fast-check prints this instead of the whole buffer when a property fails.
      const describe = () => `${origin.name} (${bytes.length} bytes): ${mutations.join('; ')}`;
      return { seed: origin.name, bytes, mutations, [fc.toStringMethod]: describe };
    });
}
