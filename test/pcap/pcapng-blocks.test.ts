/** pcapng features the writer does not produce, built block by block and checked against tshark. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeCapture } from '../../src/pcap';
import { trafficFrames } from './helpers/captures';
import {
  block,
  enhancedPacket,
  interfaceDescription,
  obsoletePacket,
  sectionHeader,
  simplePacket,
} from './helpers/pcapngBlocks';
import { capinfos, tsharkConversations } from './helpers/wireshark';

const dir = mkdtempSync(join(tmpdir(), 'pcapng-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frames = trafficFrames({ durationSeconds: 2, packetsPerSecond: 100 });
const T0 = frames[0]!.timestampNs;

function summarize(bytes: Buffer) {
  return summarizeCapture(Readable.from([bytes]), { topN: 1000 });
}

describe('pcapng block handling', () => {
  it('reads two sections of opposite byte order, SPB, OPB, unknown blocks and several resolutions', async () => {
    const half = Math.floor(frames.length / 2);
    const first = frames.slice(0, half);
    const second = frames.slice(half);
    const parts: Buffer[] = [
      sectionHeader(true),
      interfaceDescription({ tsresol: 9 }, true),
      interfaceDescription({ tsresol: 3 }, true), // milliseconds
      block(0x00000bad, Buffer.from('an unknown block is skipped by its length')),
      ...first.map((f, i) =>
        i % 2 === 0
          ? enhancedPacket(0, f.timestampNs, f.data, true)
          : obsoletePacket(1, f.timestampNs / 1_000_000n, f.data, true),
      ),
      sectionHeader(false),
      interfaceDescription({}, false), // microseconds by default
      block(0x00000005, Buffer.alloc(20), false), // interface statistics: skipped
      ...second.map((f) => enhancedPacket(0, f.timestampNs / 1000n, f.data, false)),
      simplePacket(frames[0]!.data, false),
    ];
    const bytes = Buffer.concat(parts);
    const file = join(dir, 'sections.pcapng');
    writeFileSync(file, bytes);
    const summary = await summarize(bytes);
    const facts = await capinfos(file);
    expect(summary.file).toMatchObject({
      complete: true,
      sections: 2,
      interfaceCount: 3,
      byteOrder: 'little-endian',
    });
    expect(summary.file.interfaces.map((i) => i.timestampResolution)).toEqual([
      'nanoseconds',
      '1/1000 s',
      'microseconds',
    ]);
    expect(summary.packets).toBe(facts.packets);
    expect(summary.bytesOnWire).toBe(facts.dataBytes);
    expect(summary.packetsWithoutTimestamp).toBe(1);
    expect(summary.firstPacketAt?.slice(0, 23)).toBe(
      new Date(Number(T0 / 1_000_000n)).toISOString().slice(0, 23),
    );
    const ours = new Map<string, { packets: number; bytes: number }>();
    for (const c of summary.topConversations.entries) {
      if (c.protocol !== 'TCP' && c.protocol !== 'UDP') continue;
      ours.set(`${c.protocol} ${[`${c.a.ip}:${c.a.port}`, `${c.b.ip}:${c.b.port}`].sort().join(' <-> ')}`, {
        packets: c.packets,
        bytes: c.bytes,
      });
    }
    expect(new Map([...ours].sort())).toEqual(new Map([...(await tsharkConversations(file))].sort()));
  });

  it('applies if_tsoffset and keeps nanosecond precision far from 1970', async () => {
    const bytes = Buffer.concat([
      sectionHeader(),
      interfaceDescription({ tsresol: 9, tsoffsetSeconds: 1000 }),
      enhancedPacket(0, 1_735_689_600_123_456_789n, frames[0]!.data),
      enhancedPacket(0, 1_735_689_601_000_000_001n, frames[1]!.data),
    ]);
    const summary = await summarize(bytes);
    expect(summary.firstPacketAt).toBe('2025-01-01T00:16:40.123456789Z');
    expect(summary.lastPacketAt).toBe('2025-01-01T00:16:41.000000001Z');
    expect(summary.durationSeconds).toBeCloseTo(0.876543212, 9);
  });

  it('skips an unknown block larger than the record limit without buffering it', async () => {
    const huge = block(0x00000bad, Buffer.alloc(3 * 1024 * 1024));
    const bytes = Buffer.concat([
      sectionHeader(),
      interfaceDescription(),
      huge,
      enhancedPacket(0, T0 / 1000n, frames[0]!.data),
    ]);
    const chunks: Buffer[] = [];
    for (let o = 0; o < bytes.length; o += 65536) chunks.push(bytes.subarray(o, o + 65536));
    const summary = await summarizeCapture(Readable.from(chunks), { maxRecordBytes: 1024 * 1024 });
    expect(summary.file.complete).toBe(true);
    expect(summary.packets).toBe(1);
  });

  it('refuses a packet block over the record limit and says where', async () => {
    const big = new Uint8Array(2 * 1024 * 1024);
    const header = Buffer.concat([sectionHeader(), interfaceDescription()]);
    const bytes = Buffer.concat([header, enhancedPacket(0, 0n, frames[0]!.data), enhancedPacket(0, 0n, big)]);
    const summary = await summarizeCapture(Readable.from([bytes]), { maxRecordBytes: 1024 * 1024 });
    expect(summary.packets).toBe(1);
    expect(summary.file.malformed).toMatchObject({
      offset: header.length + enhancedPacket(0, 0n, frames[0]!.data).length,
      record: 4,
      recordKind: 'Enhanced Packet Block',
    });
  });

  it('reports a packet on an interface the section does not describe', async () => {
    const bytes = Buffer.concat([
      sectionHeader(),
      interfaceDescription(),
      enhancedPacket(3, 0n, frames[0]!.data),
    ]);
    const summary = await summarize(bytes);
    expect(summary.file.malformed?.reason).toMatch(/interface 3/);
    expect(summary.file.malformed?.record).toBe(3);
  });
});

describe('classic pcap timestamps', () => {
  it('carries a microsecond fraction that overflows into the seconds', async () => {
    const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_735_689_600, 0);
    record.writeUInt32LE(1_500_000, 4); // 1.5 s written as microseconds
    record.writeUInt32LE(frames[0]!.data.length, 8);
    record.writeUInt32LE(frames[0]!.data.length, 12);
    const summary = await summarize(Buffer.concat([header, record, frames[0]!.data]));
    expect(summary.firstPacketAt).toBe('2025-01-01T00:00:01.500000000Z');
  });
});
