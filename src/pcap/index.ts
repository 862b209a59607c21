export { summarizeCapture, type SummarizeOptions } from './summarizeCapture';
export {
  sniffCaptureFormat,
  SNIFF_BYTES,
  type SniffedFormat,
  type CaptureFormat,
  type ByteOrder,
} from './sniff';
export { CaptureReader, type CaptureReaderOptions, type PacketSink } from './CaptureReader';
export { CaptureSummarizer, type SummaryOptions } from './CaptureSummarizer';
export {
  CAPTURE_SUMMARY_SCHEMA_VERSION,
  type CaptureSummary,
  type ConversationEntry,
  type Count,
  type Endpoint,
  type FileInfo,
  type InterfaceInfo,
  type MalformedNote,
  type PortEntry,
  type Ranked,
  type TalkerEntry,
} from './summary';
export type { TcpSummary } from './TcpSigns';
export type { TimelineSummary } from './Timeline';
export type { HeavyHittersAccuracy } from './HeavyHitters';
