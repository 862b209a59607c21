/** summarizeCapture as the activities use it, and the command-line tool. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/AppError';
import { summarizeCapture, type CaptureSummary } from '../../src/pcap';
import { parseArguments } from '../../src/pcap/cli';
import { captureBytes, trafficFrames } from './helpers/captures';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'summarize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frames = trafficFrames({ durationSeconds: 20, packetsPerSecond: 150, dominantShare: 0.6, seed: 21 });
const bytes = captureBytes(frames, { format: 'pcapng' });

describe('summarizeCapture', () => {
  it('puts the dominant upload first, with its direction, ports and times', async () => {
    const summary = await summarizeCapture(Readable.from([bytes]));
    const [top] = summary.topConversations.entries;
    expect(top).toMatchObject({ protocol: 'TCP', a: { ip: '10.1.0.4' }, b: { port: 443 } });
    expect(top!.aToB.bytes).toBeGreaterThan(20 * top!.bToA.bytes);
    expect(top!.bytes / summary.bytesOnWire).toBeGreaterThan(0.6);
    expect(top!.durationSeconds).toBeGreaterThan(19);
    expect(summary.topTalkers.byBytes.entries[1]?.ip).toBe(top!.b.ip);
    expect(summary.topPorts.entries[0]).toMatchObject({ protocol: 'TCP', port: 443 });
    expect(summary.transport[0]?.protocol).toBe('TCP');
    expect(summary.timeline.packets.reduce((a, b) => a + b, 0)).toBe(summary.packets);
    expect(summary.tcp.synWithoutAnswerRatio).toBeGreaterThan(0);
    expect(summary.tcp.synWithoutAnswerRatio).toBeLessThan(1);
  });

  it('is plain JSON', async () => {
    const summary = await summarizeCapture(Readable.from([bytes]));
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary.schemaVersion).toBe(1);
  });

  it('states its error bounds when the tables overflow, and they hold', async () => {
    const exact = await summarizeCapture(Readable.from([bytes]), { topN: 1000 });
    const truth = new Map(
      exact.topConversations.entries.map((c) => [JSON.stringify([c.protocol, c.a, c.b]), c.bytes]),
    );
    const small = await summarizeCapture(Readable.from([bytes]), { conversationCapacity: 16, topN: 16 });
    const { accuracy, entries } = small.topConversations;
    expect(accuracy.exact).toBe(false);
    expect(truth.size).toBeGreaterThan(16);
    for (const c of entries) {
      const real =
        truth.get(JSON.stringify([c.protocol, c.a, c.b])) ??
        truth.get(JSON.stringify([c.protocol, c.b, c.a]));
      expect(real).toBeDefined();
      expect(real!).toBeLessThanOrEqual(c.bytes);
      expect(real!).toBeGreaterThanOrEqual(c.bytes - c.error);
    }
    for (const [, real] of truth)
      if (real > accuracy.unlistedAtMost) expect(entries.some((c) => c.bytes >= real)).toBe(true);
    expect(small.topConversations.entries[0]?.bytes).toBe(exact.topConversations.entries[0]?.bytes);
  });

  it('rejects with a retriable CAPTURE_STREAM_FAILED when the stream breaks off', async () => {
    async function* breaking() {
      yield bytes.subarray(0, 10_000);
      throw new Error('socket hang up');
    }
    const failure = await summarizeCapture(Readable.from(breaking())).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: 'CAPTURE_STREAM_FAILED',
      retriable: true,
      details: { bytesRead: 10_000 },
    });
    expect((failure as AppError).cause).toBeInstanceOf(Error);
  });

  it('refuses what is not a byte stream', async () => {
    await expect(summarizeCapture('capture.cap' as unknown as Readable)).rejects.toThrow(TypeError);
    await expect(summarizeCapture(Readable.from(['text']))).rejects.toThrow(TypeError);
    await expect(summarizeCapture(Readable.from([bytes]), { topN: 0 })).rejects.toThrow(RangeError);
  });
});

describe('summarize CLI', () => {
  const file = join(dir, 'capture.cap');
  writeFileSync(file, bytes);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(__dirname, '../../src/pcap/cli.ts'), ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('prints the table, or the JSON summary with --json', async () => {
    const [table, json] = await Promise.all([cli([file, '--top', '3']), cli([file, '--json'])]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^capture\.cap: pcapng 1\.0 little-endian/);
    expect(table.stdout).toMatch(
      /Top conversations by bytes \(exact\)\n.*\n\s+1\s+TCP\s+10\.1\.0\.4:\d+\s+[\d.]+:443/,
    );
    const summary = JSON.parse(json.stdout) as CaptureSummary;
    expect(summary.packets).toBe(frames.length);
  });

  it('exits 3 on a malformed file and 2 on bad arguments', async () => {
    const broken = join(dir, 'broken.cap');
    writeFileSync(broken, bytes.subarray(0, 5000));
    const result = await cli([broken]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /MALFORMED at byte \d+ \(Enhanced Packet Block #\d+\): the file ends inside this record/,
    );
    expect(parseArguments(['a', 'b'])).toMatch(/only one file/);
    expect(parseArguments(['--top', 'x', 'f'])).toMatch(/--top/);
    expect(parseArguments(['f', '--json'])).toEqual({ file: 'f', json: true, topN: 10 });
  });
});
