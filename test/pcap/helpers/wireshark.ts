/** Runs the Wireshark command-line tools on test files and parses what they print. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

export interface CapinfosFacts {
  packets: number;
  dataBytes: number;
  encapsulation: string;
  durationSeconds: number;
  /** First and last packet times as capinfos prints them: seconds since 1970 with the file's precision. */
  start: string;
  end: string;
}

/** `capinfos` machine-readable facts: packet count, data bytes (sum of original lengths), link type, times. */
export async function capinfos(file: string): Promise<CapinfosFacts> {
  const out = await tool('capinfos', ['-T', '-M', '-r', '-c', '-d', '-u', '-E', '-a', '-e', '-S', file]);
  const [encapsulation, packets, dataBytes, duration, start, end] = (out.trim().split('\n')[0] ?? '')
    .split('\t')
    .slice(1);
  return {
    encapsulation: encapsulation ?? '',
    packets: Number(packets),
    dataBytes: Number(dataBytes),
    durationSeconds: Number(duration),
    start: start ?? '',
    end: end ?? '',
  };
}

/** Frames tshark flags: malformed, expert errors, or bad IP/TCP/UDP/ICMP checksums. */
export async function tsharkProblems(file: string): Promise<string[]> {
  const out = await tool('tshark', [
    '-r',
    file,
    '-o',
    'tcp.check_checksum:TRUE',
    '-o',
    'udp.check_checksum:TRUE',
    '-o',
    'ip.check_checksum:TRUE',
    '-Y',
    [
      '_ws.malformed',
      '_ws.expert.severity >= "error"',
      'ip.checksum.status == "Bad"',
      'tcp.checksum.status == "Bad"',
      'udp.checksum.status == "Bad"',
      'icmp.checksum.status == "Bad"',
      'icmpv6.checksum.status == "Bad"',
    ].join(' || '),
  ]);
  return out.split('\n').filter((line) => line.trim() !== '');
}

export interface ConversationTotal {
  packets: number;
  /** Sum of original (wire) frame lengths. */
  bytes: number;
}

/**
 * Per-conversation totals as tshark decodes them: key is `PROTO a:port <-> b:port` with the two
 * endpoints sorted, so both directions fold into one entry.
 */
export async function tsharkConversations(file: string): Promise<Map<string, ConversationTotal>> {
  const fields = [
    'ip.src',
    'ipv6.src',
    'ip.dst',
    'ipv6.dst',
    'tcp.srcport',
    'tcp.dstport',
    'udp.srcport',
    'udp.dstport',
    'frame.len',
  ];
  const out = await tool('tshark', [
    '-r',
    file,
    '-T',
    'fields',
    '-E',
    'occurrence=f',
    ...fields.flatMap((f) => ['-e', f]),
  ]);
  const totals = new Map<string, ConversationTotal>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [ip4s, ip6s, ip4d, ip6d, tsp, tdp, usp, udp, len] = line.split('\t');
    const proto = tsp ? 'TCP' : usp ? 'UDP' : undefined;
    if (!proto) continue;
    const a = `${ip4s || ip6s}:${tsp || usp}`;
    const b = `${ip4d || ip6d}:${tdp || udp}`;
    const key = `${proto} ${[a, b].sort().join(' <-> ')}`;
    const total = totals.get(key) ?? { packets: 0, bytes: 0 };
    total.packets++;
    total.bytes += Number(len);
    totals.set(key, total);
  }
  return totals;
}

export async function editcap(args: string[]): Promise<void> {
  await tool('editcap', args);
}

export async function mergecap(args: string[]): Promise<void> {
  await tool('mergecap', args);
}

/** Number of frames matching a display filter. */
export async function tsharkCount(file: string, filter: string): Promise<number> {
  const out = await tool('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}
