/** Builds capture files for tests from the synthetic traffic, in any format, link type or byte order. */
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import {
  CaptureWriter,
  syntheticTraffic,
  type CaptureWriterOptions,
  type SyntheticTrafficOptions,
} from '../../../local/traffic';

export const TEST_START_MS = Date.UTC(2025, 2, 1, 2, 0, 0);

export interface TestFrame {
  timestampNs: bigint;
  data: Uint8Array;
}

export function trafficFrames(overrides: Partial<SyntheticTrafficOptions> = {}): TestFrame[] {
  return [
    ...syntheticTraffic({
      startTimeMs: TEST_START_MS,
      durationSeconds: 10,
      localIp: '10.1.0.4',
      seed: 11,
      packetsPerSecond: 200,
      ipv6Share: 0.2,
      ...overrides,
    }),
  ];
}

export function captureBytes(frames: Iterable<TestFrame>, options: CaptureWriterOptions): Buffer {
  const writer = new CaptureWriter(options);
  const parts = [writer.header()];
  for (const frame of frames) parts.push(writer.frame(frame));
  return Buffer.concat(parts);
}

export function writeCapture(
  file: string,
  frames: Iterable<TestFrame>,
  options: CaptureWriterOptions,
): string {
  writeFileSync(file, captureBytes(frames, options));
  return file;
}

/** A stream delivering `bytes` in chunks of the given size (1 exercises every record boundary). */
export function chunked(bytes: Uint8Array, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += chunkSize)
    chunks.push(Buffer.from(bytes.subarray(o, o + chunkSize)));
  return Readable.from(chunks, { objectMode: false });
}

const ETHERTYPE_OFFSET = 12;

/** Linux cooked capture v1 header (LINKTYPE_LINUX_SLL) in place of the Ethernet header. */
export function toSll(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 2);
  const outgoing = frame[6] === 0x00; // the VM's MAC starts with 00, the gateway's with 12
  out[1] = outgoing ? 4 : 0; // packet type: 4 = sent by us, 0 = to us
  out[3] = 1; // ARPHRD_ETHER
  out[5] = 6; // address length
  out.set(frame.subarray(6, 12), 6); // source MAC
  out.set(frame.subarray(ETHERTYPE_OFFSET), 14); // protocol, then the network layer
  return out;
}

/** Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2). */
export function toSll2(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 6);
  out.set(frame.subarray(ETHERTYPE_OFFSET, ETHERTYPE_OFFSET + 2), 0); // protocol
  out[7] = 2; // interface index
  out[9] = 1; // ARPHRD_ETHER
  out[10] = frame[6] === 0x00 ? 4 : 0;
  out[11] = 6;
  out.set(frame.subarray(6, 12), 12);
  out.set(frame.subarray(14), 20);
  return out;
}

/** The IP packet alone (LINKTYPE_RAW). */
export function toRawIp(frame: Uint8Array): Uint8Array {
  return frame.slice(14);
}

/** Inserts 802.1Q tags (one per VLAN id given; two make QinQ with an 802.1ad outer tag). */
export function withVlanTags(frame: Uint8Array, vlanIds: number[]): Uint8Array {
  const out = new Uint8Array(frame.length + 4 * vlanIds.length);
  out.set(frame.subarray(0, 12));
  let o = 12;
  vlanIds.forEach((id, i) => {
    const tpid = vlanIds.length > 1 && i === 0 ? 0x88a8 : 0x8100;
    out[o] = tpid >> 8;
    out[o + 1] = tpid & 0xff;
    out[o + 2] = (id >> 8) & 0x0f;
    out[o + 3] = id & 0xff;
    o += 4;
  });
  out.set(frame.subarray(12), o);
  return out;
}
