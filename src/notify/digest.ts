import type { CaptureSummary } from '../pcap/summary';
import type { NotificationReport, ReportDownload } from './report';

export interface Fact {
  label: string;
  value: string;
}

/** The report reduced to what a chat message shows; Teams and Slack render the same digest. */
export interface ReportDigest {
  title: string;
  outcome: NotificationReport['outcome'];
  /** One line: packets, bytes, duration, stop reason, or the error. */
  headline: string;
  facts: Fact[];
  /** Ranked lists from the summary (top talkers, conversations, ports, TCP signs). */
  sections: { title: string; lines: string[] }[];
  download?: ReportDownload;
  statusUrl?: string;
}

const TOP = 5;

export function digestReport(report: NotificationReport, download?: ReportDownload): ReportDigest {
  const { vm, capture, summary, error } = report;
  const ok = report.outcome === 'succeeded';
  const facts: Fact[] = [
    { label: 'VM', value: `${vm.name}${vm.resourceGroup ? ` (${vm.resourceGroup})` : ''}` },
  ];
  if (report.alert?.ruleName) facts.push({ label: 'Alert', value: alertText(report) });
  if (capture) {
    facts.push({ label: 'Capture', value: capture.name });
    if (capture.status) facts.push({ label: 'Status', value: capture.status });
    if (capture.stopReason) facts.push({ label: 'Stop reason', value: capture.stopReason });
    if (capture.stoppedBy && capture.stoppedBy !== 'service')
      facts.push({ label: 'Stopped by', value: capture.stoppedBy });
    if (capture.errors.length > 0)
      facts.push({ label: 'Network Watcher errors', value: capture.errors.join(', ') });
  }
  if (report.file)
    facts.push({ label: 'File', value: `${formatBytes(report.file.size)} ${report.file.format}` });
  if (error) facts.push({ label: 'Error', value: `${error.code}: ${error.message}` });
  return {
    title: `${ok ? 'Packet capture finished' : 'Packet capture failed'} on ${vm.name}`,
    outcome: report.outcome,
    headline: headline(report),
    facts,
    sections: summary ? summarySections(summary) : [],
    download,
    statusUrl: report.statusUrl,
  };
}

function alertText(report: NotificationReport): string {
  const { ruleName, severity, firedAt } = report.alert ?? {};
  return [ruleName, severity && `severity ${severity}`, firedAt && `fired ${firedAt}`]
    .filter(Boolean)
    .join(', ');
}

function headline(report: NotificationReport): string {
  const { summary, capture, error } = report;
  if (report.outcome === 'failed') return error ? `${error.code}: ${error.message}` : 'The capture failed.';
  const parts: string[] = [];
  if (summary) {
    parts.push(
      `${summary.packets.toLocaleString('en-US')} packets`,
      formatBytes(summary.bytesOnWire),
      `over ${formatDuration(summary.durationSeconds)}`,
    );
  }
  if (capture?.stopReason) parts.push(`stopped: ${capture.stopReason}`);
  return parts.length > 0 ? parts.join(', ') : 'The capture finished.';
}

function summarySections(summary: CaptureSummary): ReportDigest['sections'] {
  const sections: ReportDigest['sections'] = [];
  const talkers = summary.topTalkers.byBytes.entries.slice(0, TOP);
  if (talkers.length > 0) {
    sections.push({
      title: 'Top talkers (bytes)',
      lines: talkers.map(
        (t) =>
          `${t.ip}: ${formatBytes(t.bytes)} (sent ${formatBytes(t.sent.bytes)}, received ${formatBytes(t.received.bytes)})`,
      ),
    });
  }
  const conversations = summary.topConversations.entries.slice(0, TOP);
  if (conversations.length > 0) {
    sections.push({
      title: 'Top conversations',
      lines: conversations.map(
        (c) =>
          `${c.protocol} ${endpoint(c.a)} ↔ ${endpoint(c.b)}: ${formatBytes(c.bytes)}, ${c.packets.toLocaleString('en-US')} packets`,
      ),
    });
  }
  const ports = summary.topPorts.entries.slice(0, TOP);
  if (ports.length > 0) {
    sections.push({
      title: 'Top ports',
      lines: ports.map((p) => `${p.protocol}/${p.port}: ${formatBytes(p.bytes)}`),
    });
  }
  const { tcp, timeline } = summary;
  const signs = [`SYN ${tcp.syn}, SYN-ACK ${tcp.synAck}, RST ${tcp.rst}, FIN ${tcp.fin}`];
  if (tcp.syn > 0) signs.push(`${Math.round(tcp.synWithoutAnswerRatio * 100)}% of SYNs unanswered`);
  if (tcp.rstBursts.seconds > 0)
    signs.push(`RST bursts in ${tcp.rstBursts.seconds} s (peak ${tcp.rstBursts.peakPerSecond}/s)`);
  if (timeline.peakAt) signs.push(`peak ${timeline.peakPacketsPerSecond} packets/s at ${timeline.peakAt}`);
  sections.push({ title: 'TCP and rate', lines: signs });
  return sections;
}

function endpoint(e: { ip: string; port: number | null }): string {
  if (e.port === null) return e.ip;
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
