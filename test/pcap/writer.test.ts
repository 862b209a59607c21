import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureWriter, syntheticTraffic, type CaptureWriterOptions } from '../../local/traffic';
import { capinfos, tsharkProblems } from './helpers/wireshark';

const dir = mkdtempSync(join(tmpdir(), 'capture-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = Date.UTC(2025, 2, 1, 2, 0, 0);
const traffic = () =>
  syntheticTraffic({
    startTimeMs: START,
    durationSeconds: 20,
    localIp: '10.1.0.4',
    seed: 42,
    packetsPerSecond: 150,
  });

function writeCapture(name: string, options: CaptureWriterOptions) {
  const writer = new CaptureWriter(options);
  const parts = [writer.header()];
  let packets = 0;
  let wireBytes = 0;
  for (const frame of traffic()) {
    const record = writer.frame(frame);
    parts.push(record);
    packets++;
    wireBytes += frame.data.length;
  }
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat(parts));
  return { file, packets, wireBytes };
}

describe('synthetic traffic', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const digest = (seed: number) => {
      let h = 0;
      for (const f of syntheticTraffic({
        startTimeMs: START,
        durationSeconds: 5,
        localIp: '10.0.0.5',
        seed,
      })) {
        for (const byte of f.data) h = (Math.imul(h, 31) + byte) | 0;
        h = (h + Number(f.timestampNs % 1_000_000n)) | 0;
      }
      return h;
    };
    expect(digest(1)).toBe(digest(1));
    expect(digest(1)).not.toBe(digest(2));
  });

  it('is lazy: the first packets of a five-hour session come at once', () => {
    const started = performance.now();
    const iterator = syntheticTraffic({
      startTimeMs: START,
      durationSeconds: 5 * 3600,
      localIp: '10.0.0.5',
      seed: 3,
      packetsPerSecond: 5000,
    })[Symbol.iterator]();
    for (let i = 0; i < 1000; i++) expect(iterator.next().done).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps timestamps in order within the session and honours the dominant share', () => {
    let previous = BigInt(START) * 1_000_000n;
    let packets = 0;
    const byRemote = new Map<string, number>();
    for (const f of syntheticTraffic({
      startTimeMs: START,
      durationSeconds: 30,
      localIp: '10.0.0.5',
      seed: 9,
      dominantShare: 0.7,
    })) {
      expect(f.timestampNs >= previous).toBe(true);
      previous = f.timestampNs;
      packets++;
      const remote = f.flow.srcIp === '10.0.0.5' ? f.flow.dstIp : f.flow.srcIp;
      byRemote.set(remote, (byRemote.get(remote) ?? 0) + 1);
    }
    expect(previous < (BigInt(START) + 30_000n) * 1_000_000n).toBe(true);
    expect(packets).toBeGreaterThan(1200); // 50 pps * 30 s, Poisson
    expect(packets).toBeLessThan(1800);
    const top = Math.max(...byRemote.values());
    expect(top / packets).toBeGreaterThan(0.65);
    expect(byRemote.size).toBeGreaterThan(8);
  });

  it('mixes the kinds of traffic a VM sees', () => {
    const seen = new Set<string>();
    for (const f of syntheticTraffic({
      startTimeMs: START,
      durationSeconds: 60,
      localIp: '10.0.0.5',
      seed: 5,
    })) {
      const v6 = f.flow.srcIp.includes(':');
      seen.add(`${f.flow.protocol}${v6 ? '6' : '4'}`);
      if (f.flow.protocol === 'UDP') seen.add(`udp:${Math.min(f.flow.srcPort, f.flow.dstPort)}`);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['ICMP4', 'TCP4', 'TCP6', 'UDP4', 'udp:53', 'udp:123']),
    );
  });

  it('rejects bad options at once', () => {
    const base = { startTimeMs: START, durationSeconds: 1, localIp: '10.0.0.5', seed: 1 };
    expect(() => syntheticTraffic({ ...base, durationSeconds: 0 })).toThrow(RangeError);
    expect(() => syntheticTraffic({ ...base, dominantShare: 1.5 })).toThrow(RangeError);
    expect(() => syntheticTraffic({ ...base, localIp: 'vm-1' })).toThrow(TypeError);
  });
});

describe('CaptureWriter output read by the Wireshark tools', () => {
  const variants: [string, CaptureWriterOptions][] = [
    ['micro.pcap', { format: 'pcap' }],
    ['nano-be.pcap', { format: 'pcap', nanosecond: true, bigEndian: true }],
    ['micro.pcapng', { format: 'pcapng' }],
    ['nano-be.pcapng', { format: 'pcapng', nanosecond: true, bigEndian: true }],
    ['snap96.pcap', { format: 'pcap', snapLength: 96 }],
    ['snap96.pcapng', { format: 'pcapng', snapLength: 96 }],
  ];
  it.each(variants)('%s: capinfos counts match and tshark finds nothing malformed', async (name, options) => {
    const { file, packets, wireBytes } = writeCapture(name, options);
    const facts = await capinfos(file);
    expect(facts.encapsulation).toBe('ether');
    expect(facts.packets).toBe(packets);
    expect(facts.dataBytes).toBe(wireBytes); // capinfos counts original lengths
    expect(facts.durationSeconds).toBeGreaterThan(19);
    const problems = await tsharkProblems(file);
    expect(problems).toEqual([]);
  });

  it('validates its options', () => {
    expect(() => new CaptureWriter({ format: 'erf' as 'pcap' })).toThrow(TypeError);
    expect(() => new CaptureWriter({ format: 'pcap', snapLength: 0 })).toThrow(RangeError);
    expect(() =>
      new CaptureWriter({ format: 'pcap' }).frame({ timestampNs: -1n, data: new Uint8Array(1) }),
    ).toThrow(RangeError);
  });
});
