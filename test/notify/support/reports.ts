import type { NotificationReportInput } from '../../../src/notify/report';
import type { CaptureSummary } from '../../../src/pcap/summary';

const accuracy = { exact: true, capacity: 256, evictions: 0, unlistedAtMost: 0 };

/** A summary of a small capture, shaped as the pcap summarizer writes it. */
export const SUMMARY: CaptureSummary = {
  schemaVersion: 1,
  file: {
    format: 'pcap',
    byteOrder: 'little-endian',
    version: '2.4',
    sections: 1,
    interfaces: [
      { linkType: 1, linkTypeName: 'ETHERNET', snapLength: 65535, timestampResolution: 'microseconds' },
    ],
    interfaceCount: 1,
    bytesRead: 1_234_567,
    records: 2000,
    complete: true,
    malformed: null,
  },
  packets: 2000,
  bytesCaptured: 1_200_000,
  bytesOnWire: 1_200_000,
  truncatedPackets: 0,
  packetsWithoutTimestamp: 0,
  firstPacketAt: '2025-01-31T16:39:41.077Z',
  lastPacketAt: '2025-01-31T16:44:41.077Z',
  durationSeconds: 300,
  network: {
    ipv4: { packets: 2000, bytes: 1_200_000 },
    ipv6: { packets: 0, bytes: 0 },
    arp: { packets: 0, bytes: 0 },
    other: { packets: 0, bytes: 0 },
    undecoded: { packets: 0, bytes: 0 },
    vlanTaggedPackets: 0,
    laterFragments: 0,
    headersCut: 0,
  },
  transport: [{ protocol: 'TCP', packets: 2000, bytes: 1_200_000 }],
  topTalkers: {
    byBytes: {
      rankedBy: 'bytes',
      accuracy,
      entries: [
        {
          ip: '10.1.0.4',
          packets: 2000,
          bytes: 1_200_000,
          sent: { packets: 1500, bytes: 1_100_000 },
          received: { packets: 500, bytes: 100_000 },
          error: 0,
        },
        {
          ip: '203.0.113.7',
          packets: 1400,
          bytes: 1_000_000,
          sent: { packets: 400, bytes: 80_000 },
          received: { packets: 1000, bytes: 920_000 },
          error: 0,
        },
      ],
    },
    byPackets: { rankedBy: 'packets', accuracy, entries: [] },
  },
  topConversations: {
    rankedBy: 'bytes',
    accuracy,
    entries: [
      {
        protocol: 'TCP',
        a: { ip: '10.1.0.4', port: 51515 },
        b: { ip: '203.0.113.7', port: 443 },
        packets: 1400,
        bytes: 1_000_000,
        aToB: { packets: 1000, bytes: 920_000 },
        bToA: { packets: 400, bytes: 80_000 },
        firstAt: '2025-01-31T16:39:41.077Z',
        lastAt: '2025-01-31T16:44:41.077Z',
        durationSeconds: 300,
        error: 0,
      },
    ],
  },
  topPorts: {
    rankedBy: 'bytes',
    accuracy,
    entries: [{ protocol: 'TCP', port: 443, packets: 1400, bytes: 1_000_000, error: 0 }],
  },
  tcp: {
    packets: 2000,
    syn: 40,
    synAck: 10,
    rst: 25,
    fin: 8,
    synWithoutAnswerRatio: 0.75,
    rstBursts: { threshold: 10, seconds: 2, peakPerSecond: 14, peakAt: '2025-01-31T16:40:00.000Z' },
  },
  timeline: {
    start: '2025-01-31T16:39:41.000Z',
    bucketSeconds: 1,
    packets: [10, 20],
    bytes: [1000, 2000],
    peakPacketsPerSecond: 20,
    peakBytesPerSecond: 2000,
    peakAt: '2025-01-31T16:39:42.000Z',
    earlierThanFirst: 0,
  },
};

const vm = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-web-01',
  name: 'vm-web-01',
  resourceGroup: 'rg-web',
  location: 'westeurope',
};

export const SUCCESS_REPORT: NotificationReportInput = {
  outcome: 'succeeded',
  instanceId: 'capture-vm-web-01',
  vm,
  alert: {
    schema: 'commonAlertSchema',
    ruleName: 'Network Out above normal',
    severity: 'Sev2',
    firedAt: '2025-01-31T16:39:00Z',
  },
  capture: {
    name: 'ac-vm-web-01-20250131-163941077',
    status: 'Stopped',
    stopReason: 'TimeExceeded',
    errors: [],
    startedAt: '2025-01-31T16:39:41Z',
    endedAt: '2025-01-31T16:44:41Z',
  },
  file: {
    url: 'https://stcaptures.blob.core.windows.net/network-watcher-logs/x.cap',
    size: 1_234_567,
    format: 'pcap',
  },
  summary: SUMMARY,
  statusUrl: 'https://app.example.com/api/captures/capture-vm-web-01',
};

export const FAILURE_REPORT: NotificationReportInput = {
  outcome: 'failed',
  instanceId: 'capture-vm-web-01',
  vm,
  capture: {
    name: 'ac-vm-web-01-20250131-163941077',
    status: 'Error',
    stopReason: 'AgentCrashed <weird & odd>',
    errors: ['AgentStopped', 'StorageFailed'],
  },
  error: {
    code: 'CAPTURE_FAILED',
    message: 'Network Watcher ended the capture with errors AgentStopped, StorageFailed.',
  },
};
