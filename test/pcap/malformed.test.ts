/**
 * Truncated, corrupted and arbitrary input: the summarizer never throws, never hangs, keeps its
 * memory bounded, and says where it stopped. Chunk boundaries never change the result.
 */
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CaptureReader, summarizeCapture, type CaptureSummary } from '../../src/pcap';
import { captureBytes, chunked, trafficFrames } from './helpers/captures';

const frames = trafficFrames({ durationSeconds: 2, packetsPerSecond: 120 });
const files = {
  pcap: captureBytes(frames, { format: 'pcap' }),
  pcapng: captureBytes(frames, { format: 'pcapng', nanosecond: true }),
  bigEndianPcapng: captureBytes(frames, { format: 'pcapng', bigEndian: true }),
};
type Kind = keyof typeof files;
const kinds = Object.keys(files) as Kind[];

/** Offsets where records end (the first is the end of the file header / first blocks). */
function recordEnds(kind: Kind): number[] {
  const ends: number[] = [];
  const bytes = files[kind];
  if (kind === 'pcap') {
    for (let o = 24; o < bytes.length;) {
      ends.push(o);
      o += 16 + bytes.readUInt32LE(o + 8);
    }
  } else {
    const le = kind === 'pcapng';
    for (let o = 0; o < bytes.length;) {
      o += le ? bytes.readUInt32LE(o + 4) : bytes.readUInt32BE(o + 4);
      ends.push(o);
    }
  }
  if (kind === 'pcap') ends.push(bytes.length);
  return ends;
}

async function summarizeBounded(bytes: Uint8Array, chunkSize = 4096): Promise<CaptureSummary> {
  const started = performance.now();
  const summary = await summarizeCapture(chunked(bytes, chunkSize));
  // Linear in the input: a loop would blow far past this.
  expect(performance.now() - started).toBeLessThan(2000);
  return summary;
}

describe('chunk boundaries', () => {
  it.each(kinds)('%s: any chunking gives the same summary as one chunk', async (kind) => {
    const whole = await summarizeCapture(Readable.from([files[kind]]));
    expect(whole.file.complete).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), async (size) => {
        expect(await summarizeCapture(chunked(files[kind], size))).toEqual(whole);
      }),
      { numRuns: 12 },
    );
    expect(await summarizeCapture(chunked(files[kind].subarray(0, 30_000), 1))).toEqual(
      await summarizeCapture(Readable.from([files[kind].subarray(0, 30_000)])),
    );
  });
});

describe('truncated files', () => {
  it.each(kinds)('%s: a cut anywhere keeps every whole record and names the cut one', async (kind) => {
    const ends = recordEnds(kind);
    const bytes = files[kind];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
        const summary = await summarizeBounded(bytes.subarray(0, cut));
        const whole = ends.filter((e) => e <= cut);
        const atBoundary = whole.at(-1) === cut;
        expect(summary.file.complete).toBe(atBoundary && cut > 0);
        if (!summary.file.complete) {
          expect(summary.file.malformed?.offset).toBe(whole.at(-1) ?? 0);
          expect(summary.file.malformed?.reason).toMatch(/ends inside|empty|too few/);
        }
        const packetRecords = kind === 'pcap' ? whole.length - 1 : whole.length - 2; // header, or SHB + IDB
        expect(summary.packets).toBe(Math.max(0, packetRecords));
      }),
      { numRuns: 60 },
    );
  });
});

describe('corrupted files', () => {
  it.each(kinds)('%s: overwritten bytes never throw or hang', async (kind) => {
    const original = files[kind];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 5000 }),
        async (edits, chunkSize) => {
          const bytes = Buffer.from(original);
          for (const [at, value] of edits) bytes[at] = value;
          const summary = await summarizeBounded(bytes, chunkSize);
          expect(summary.packets).toBeLessThanOrEqual(bytes.length / 16);
          if (!summary.file.complete) {
            expect(summary.file.malformed?.offset).toBeGreaterThanOrEqual(0);
            expect(summary.file.malformed?.offset).toBeLessThanOrEqual(bytes.length);
          }
          expect(() => JSON.stringify(summary)).not.toThrow();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('survives record headers that claim huge lengths, holding bounded memory', async () => {
    const limit = 64 * 1024;
    await fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.nat({ max: 200 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (kind, record, claimed) => {
          const bytes = Buffer.from(files[kind]);
          const ends = recordEnds(kind);
          const at = ends[Math.min(record, ends.length - 2)] as number;
          // Overwrite the length field of that record (pcap: captured length; pcapng: block length).
          const field = kind === 'pcap' ? at + 8 : at + 4;
          if (kind === 'bigEndianPcapng') bytes.writeUInt32BE(claimed, field);
          else bytes.writeUInt32LE(claimed, field);
          let packets = 0;
          const reader = new CaptureReader({ packet: () => void packets++ }, { maxRecordBytes: limit });
          for (let o = 0; o < bytes.length && reader.push(bytes.subarray(o, o + 1000)); o += 1000);
          reader.end();
          expect(reader.bufferedBytes).toBeLessThanOrEqual(limit + 16);
          const info = reader.fileInfo();
          if (!info.complete) expect(info.malformed).not.toBeNull();
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('arbitrary input', () => {
  it('never throws on random bytes, with or without a valid magic number', async () => {
    const magics = [
      [],
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...magics),
        fc.uint8Array({ maxLength: 4000 }),
        fc.integer({ min: 1, max: 512 }),
        async (magic, rest, chunkSize) => {
          const summary = await summarizeBounded(Uint8Array.from([...magic, ...rest]), chunkSize);
          if (!summary.file.complete) expect(summary.file.malformed?.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('names the problem for empty input, short input and unknown formats', async () => {
    expect((await summarizeBounded(new Uint8Array(0))).file.malformed?.reason).toBe('the input is empty');
    expect((await summarizeBounded(Uint8Array.of(0xd4, 0xc3, 0xb2))).file.malformed?.reason).toMatch(
      /only 3 bytes/,
    );
    const text = new TextEncoder().encode('<html>this is an error page, not a capture</html>');
    const summary = await summarizeBounded(text);
    expect(summary.file).toMatchObject({ format: null, complete: false });
    expect(summary.file.malformed).toMatchObject({
      offset: 0,
      record: 0,
      reason: expect.stringMatching(/not a pcap/),
    });
    expect(summary.packets).toBe(0);
  });

  it('stops at a pcapng block whose trailing length disagrees and keeps what came before', async () => {
    const bytes = Buffer.from(files.pcapng);
    const ends = recordEnds('pcapng');
    const broken = ends[9] as number; // the 10th block's leading length is at ends[9] + 4
    bytes.writeUInt32LE(bytes.readUInt32LE(broken + 4) + 8, broken + 4);
    const summary = await summarizeBounded(bytes);
    expect(summary.packets).toBe(8);
    expect(summary.file.malformed).toMatchObject({
      offset: broken,
      record: 11,
      recordKind: 'Enhanced Packet Block',
    });
  });
});
