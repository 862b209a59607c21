/**
 * The summary against the Wireshark tools on the same files: packet and byte totals from capinfos,
 * per-conversation totals and TCP flag counts from tshark, over the formats, byte orders, time
 * precisions, snap lengths and link types a capture can come in.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeCapture, type CaptureSummary } from '../../src/pcap';
import {
  toRawIp,
  toSll,
  toSll2,
  trafficFrames,
  withVlanTags,
  writeCapture,
  type TestFrame,
} from './helpers/captures';
import {
  capinfos,
  editcap,
  mergecap,
  tsharkConversations,
  tsharkCount,
  type ConversationTotal,
} from './helpers/wireshark';

const dir = mkdtempSync(join(tmpdir(), 'capture-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);

let frames: TestFrame[];
const mapped = (f: (data: Uint8Array, i: number) => Uint8Array) =>
  frames.map((frame, i) => ({ timestampNs: frame.timestampNs, data: f(frame.data, i) }));

beforeAll(async () => {
  frames = trafficFrames();
  writeCapture(path('base.pcap'), frames, { format: 'pcap' });
  writeCapture(path('be.pcap'), frames, { format: 'pcap', bigEndian: true });
  writeCapture(path('be-ns.pcapng'), frames, { format: 'pcapng', bigEndian: true, nanosecond: true });
  writeCapture(path('sll.pcap'), mapped(toSll), { format: 'pcap', linkType: 113 });
  writeCapture(path('sll2.pcapng'), mapped(toSll2), { format: 'pcapng', linkType: 276 });
  writeCapture(path('raw.pcap'), mapped(toRawIp), { format: 'pcap', linkType: 101 });
  writeCapture(
    path('vlan.pcap'),
    mapped((d, i) => withVlanTags(d, i % 3 === 0 ? [100, 200] : [42])),
    {
      format: 'pcap',
    },
  );
  // A second interface: the same kind of traffic from another seed, merged in time order.
  writeCapture(
    path('other.pcap'),
    trafficFrames({ seed: 12, localIp: '10.1.0.5' }).map((f) => ({ ...f, data: toSll(f.data) })),
    {
      format: 'pcap',
      linkType: 113,
    },
  );
  await Promise.all([
    editcap(['-F', 'pcapng', path('base.pcap'), path('editcap.pcapng')]),
    editcap(['-F', 'nsecpcap', path('base.pcap'), path('ns.pcap')]),
    editcap(['-s', '80', path('base.pcap'), path('snap80.pcap')]),
    editcap(['-F', 'pcapng', '-s', '60', path('base.pcap'), path('snap60.pcapng')]),
    mergecap(['-F', 'pcapng', '-w', path('merged.pcapng'), path('base.pcap'), path('other.pcap')]),
  ]);
});

const variants = [
  'base.pcap',
  'be.pcap',
  'be-ns.pcapng',
  'editcap.pcapng',
  'ns.pcap',
  'snap80.pcap',
  'snap60.pcapng',
  'sll.pcap',
  'sll2.pcapng',
  'raw.pcap',
  'vlan.pcap',
  'merged.pcapng',
];

async function summarize(file: string): Promise<CaptureSummary> {
  return summarizeCapture(createReadStream(file, { highWaterMark: 4096 }), { topN: 1000 });
}

function ourConversations(summary: CaptureSummary): Map<string, ConversationTotal> {
  const totals = new Map<string, ConversationTotal>();
  for (const c of summary.topConversations.entries) {
    if (c.protocol !== 'TCP' && c.protocol !== 'UDP') continue;
    const key = `${c.protocol} ${[`${c.a.ip}:${c.a.port}`, `${c.b.ip}:${c.b.port}`].sort().join(' <-> ')}`;
    totals.set(key, { packets: c.packets, bytes: c.bytes });
  }
  return totals;
}

describe.each(variants)('%s', (name) => {
  it('has the packet, byte and time totals capinfos reports', async () => {
    const [summary, facts] = await Promise.all([summarize(path(name)), capinfos(path(name))]);
    expect(summary.file.complete).toBe(true);
    expect(summary.file.malformed).toBeNull();
    expect(summary.packets).toBe(facts.packets);
    expect(summary.bytesOnWire).toBe(facts.dataBytes);
    const [startSeconds, startFraction = ''] = facts.start.split('.');
    const expectedStart = new Date(Number(startSeconds) * 1000).toISOString().slice(0, 19);
    expect(summary.firstPacketAt).toBe(`${expectedStart}.${startFraction.padEnd(9, '0')}Z`);
    expect(summary.durationSeconds).toBeCloseTo(facts.durationSeconds, 6);
    expect(summary.network.undecoded.packets).toBe(0);
  });

  it('has the TCP and UDP conversations tshark decodes, packet for packet and byte for byte', async () => {
    const [summary, expected] = await Promise.all([summarize(path(name)), tsharkConversations(path(name))]);
    expect(summary.topConversations.accuracy.exact).toBe(true);
    expect(new Map([...ourConversations(summary)].sort())).toEqual(new Map([...expected].sort()));
  });
});

describe('against tshark filters', () => {
  it('counts SYN, SYN-ACK, RST and FIN like tshark', async () => {
    const file = path('base.pcap');
    const summary = await summarize(file);
    const [syn, synAck, rst, fin] = await Promise.all([
      tsharkCount(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'),
      tsharkCount(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 1'),
      tsharkCount(file, 'tcp.flags.reset == 1'),
      tsharkCount(file, 'tcp.flags.fin == 1'),
    ]);
    expect(summary.tcp).toMatchObject({ syn, synAck, rst, fin });
    expect(syn).toBeGreaterThan(synAck); // the traffic has unanswered attempts
  });

  it('counts VLAN-tagged and cut packets', async () => {
    const vlan = await summarize(path('vlan.pcap'));
    expect(vlan.network.vlanTaggedPackets).toBe(vlan.packets);
    const cut = await summarize(path('snap60.pcapng'));
    expect(cut.truncatedPackets).toBe(await tsharkCount(path('snap60.pcapng'), 'frame.cap_len < frame.len'));
    expect(cut.bytesCaptured).toBeLessThan(cut.bytesOnWire);
  });

  it('lists both interfaces of a merged capture', async () => {
    const merged = await summarize(path('merged.pcapng'));
    expect(merged.file.interfaces.map((i) => i.linkTypeName).sort()).toEqual(['ethernet', 'linux-sll']);
    expect(merged.topTalkers.byBytes.entries.map((t) => t.ip)).toEqual(
      expect.arrayContaining(['10.1.0.4', '10.1.0.5']),
    );
  });
});
