/** A capture summary as a plain-text report for a terminal (the CLI's default output). */
import type { CaptureSummary, ConversationEntry, Count, Ranked, TalkerEntry } from './summary';

const integer = new Intl.NumberFormat('en-US');

function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0
    ? `${bytes} B`
    : `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Columns whose title starts with '>' are right-aligned (numbers). */
function table(columns: string[], rows: string[][]): string[] {
  const right = columns.map((c) => c.startsWith('>'));
  const header = columns.map((c) => c.replace(/^>/, ''));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`);
}

function accuracyNote<T>(ranked: Ranked<T>): string {
  const a = ranked.accuracy;
  if (a.exact) return 'exact';
  const unit =
    ranked.rankedBy === 'bytes'
      ? formatBytes(a.unlistedAtMost)
      : `${integer.format(a.unlistedAtMost)} packets`;
  return `approximate: ${integer.format(a.evictions)} evictions from ${a.capacity} slots; anything unlisted had at most ${unit}`;
}

const TALKER_COLUMNS = ['>#', 'address', '>packets', '>bytes', '>sent', '>received'];

function talkerRows(ranked: Ranked<TalkerEntry>): string[][] {
  return ranked.entries.map((t, i) => [
    String(i + 1),
    t.ip,
    integer.format(t.packets),
    formatBytes(t.bytes),
    formatBytes(t.sent.bytes),
    formatBytes(t.received.bytes),
  ]);
}

function endpoint(e: ConversationEntry['a']): string {
  if (e.port === null) return e.ip;
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function count(c: Count): string {
  return `${integer.format(c.packets)} pkts ${formatBytes(c.bytes)}`;
}

const BARS = '▁▂▃▄▅▆▇█';

function sparkline(values: number[]): string {
  const max = Math.max(...values, 0);
  if (max === 0) return '';
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.floor((v / max) * BARS.length))]).join('');
}

export function formatSummary(s: CaptureSummary, name = 'capture'): string {
  const out: string[] = [];
  const f = s.file;
  const interfaces = f.interfaces
    .map((i) => `${i.linkTypeName} (snap ${i.snapLength}, ${i.timestampResolution})`)
    .join(', ');
  out.push(
    `${name}: ${f.format ?? 'unknown format'}${f.version ? ` ${f.version}` : ''}${f.byteOrder ? ` ${f.byteOrder}` : ''}` +
      `, ${f.sections} section(s), ${f.interfaceCount} interface(s)${interfaces ? `: ${interfaces}` : ''}`,
  );
  if (f.malformed) {
    const m = f.malformed;
    out.push(
      `MALFORMED at byte ${m.offset} (${m.recordKind} #${m.record}): ${m.reason}. The figures cover what came before.`,
    );
  }
  out.push(
    `Packets ${integer.format(s.packets)}, on the wire ${formatBytes(s.bytesOnWire)}, captured ${formatBytes(s.bytesCaptured)}` +
      (s.truncatedPackets ? `, ${integer.format(s.truncatedPackets)} cut by the snap length` : ''),
  );
  if (s.firstPacketAt)
    out.push(`From ${s.firstPacketAt} to ${s.lastPacketAt} (${s.durationSeconds.toFixed(3)} s)`);
  const n = s.network;
  out.push(
    `Network: IPv4 ${count(n.ipv4)}, IPv6 ${count(n.ipv6)}, ARP ${count(n.arp)}, other ${count(n.other)}` +
      (n.undecoded.packets ? `, undecoded link ${count(n.undecoded)}` : '') +
      (n.vlanTaggedPackets ? `; ${integer.format(n.vlanTaggedPackets)} VLAN-tagged` : '') +
      (n.laterFragments ? `; ${integer.format(n.laterFragments)} later fragments` : ''),
  );
  out.push(
    `Transport: ${s.transport.map((t) => `${t.protocol} ${percent(t.bytes, s.bytesOnWire)} (${integer.format(t.packets)} pkts)`).join(', ') || 'none'}`,
  );

  out.push('', `Top talkers by bytes (${accuracyNote(s.topTalkers.byBytes)})`);
  out.push(...table(TALKER_COLUMNS, talkerRows(s.topTalkers.byBytes)));
  out.push('', `Top talkers by packets (${accuracyNote(s.topTalkers.byPackets)})`);
  out.push(...table(TALKER_COLUMNS, talkerRows(s.topTalkers.byPackets)));

  out.push('', `Top conversations by bytes (${accuracyNote(s.topConversations)})`);
  out.push(
    ...table(
      ['>#', 'proto', 'a', 'b', '>packets', '>bytes', '>a→b', '>b→a', '>seconds'],
      s.topConversations.entries.map((c, i) => [
        String(i + 1),
        c.protocol,
        endpoint(c.a),
        endpoint(c.b),
        integer.format(c.packets),
        formatBytes(c.bytes),
        formatBytes(c.aToB.bytes),
        formatBytes(c.bToA.bytes),
        c.durationSeconds.toFixed(1),
      ]),
    ),
  );

  out.push('', `Top service ports by bytes (${accuracyNote(s.topPorts)})`);
  out.push(
    ...table(
      ['>#', 'port', '>packets', '>bytes'],
      s.topPorts.entries.map((p, i) => [
        String(i + 1),
        `${p.port}/${p.protocol.toLowerCase()}`,
        integer.format(p.packets),
        formatBytes(p.bytes),
      ]),
    ),
  );

  const t = s.tcp;
  out.push(
    '',
    `TCP: ${integer.format(t.packets)} segments, SYN ${integer.format(t.syn)}, SYN-ACK ${integer.format(t.synAck)}, ` +
      `RST ${integer.format(t.rst)}, FIN ${integer.format(t.fin)}; SYN without answer ${percent(t.syn - Math.min(t.syn, t.synAck), t.syn)}; ` +
      (t.rstBursts.seconds > 0
        ? `RST bursts in ${t.rstBursts.seconds} second(s) (≥ ${t.rstBursts.threshold}/s), peak ${t.rstBursts.peakPerSecond}/s at ${t.rstBursts.peakAt}`
        : `no RST burst (peak ${t.rstBursts.peakPerSecond}/s)`),
  );
  const tl = s.timeline;
  if (tl.start) {
    out.push(
      `Timeline from ${tl.start}, ${tl.bucketSeconds} s per bucket, peak ${integer.format(tl.peakPacketsPerSecond)} pkt/s ` +
        `(${formatBytes(tl.peakBytesPerSecond)}/s) at ${tl.peakAt}`,
      `  packets ${sparkline(tl.packets)}`,
      `  bytes   ${sparkline(tl.bytes)}`,
    );
  }
  return out.join('\n');
}
