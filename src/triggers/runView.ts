import type { CaptureReport } from '../capture/report';
import type { AlertOrigin, CaptureRequest } from '../capture/types';
import type { RunStatus } from '../orchestrators/contract';
import { captureLinks, type CaptureLinks } from '../http/routes';
import { withoutSignatures } from './withoutSignatures';

/** A run's status as the Durable client returns it (lists carry plain JSON, dates as text). */
export interface RawRunStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input?: unknown;
  output?: unknown;
  customStatus?: unknown;
  createdTime: string | Date;
  lastUpdatedTime: string | Date;
}

/** One line of `GET /api/captures`. */
export interface RunListItem {
  id: string;
  /** The VM id as the alert gave it. */
  vm?: string;
  runtimeStatus: string;
  /** The orchestrator's phase (`preparing` … `capturing` … `succeeded`/`failed`). */
  phase?: string;
  createdTime: string;
  lastUpdatedTime: string;
  alert?: AlertOrigin;
  /** Set once the run has ended. */
  outcome?: CaptureReport['outcome'];
  links: CaptureLinks;
}

/** What the progress tells of the capture while the run follows it. */
export type CaptureProgress = NonNullable<RunStatus['capture']> & { name?: string; joined?: boolean };

/** `GET /api/captures/{id}`: the list item, where the run is, and at the end its report and summary. */
export interface RunView extends RunListItem {
  /** The orchestrator's custom status: the phase, since when, the capture's facts, a stop request. */
  progress?: RunStatus;
  /** The capture: from the report once the run has ended, from the progress before. */
  capture?: CaptureReport['capture'] | CaptureProgress;
  /** The verified file in blob storage (URLs without any signature; `links.download` signs one). */
  file?: CaptureReport['file'];
  summary?: CaptureReport['summary'];
  /** The run's output once it has ended, without the summary (given above). */
  report?: Omit<CaptureReport, 'summary'>;
  error?: CaptureReport['error'] | RunStatus['error'];
}

export function runListItem(status: RawRunStatus, requestUrl: string): RunListItem {
  const request = objectOrUndefined(status.input) as Partial<CaptureRequest> | undefined;
  const progress = progressOf(status.customStatus);
  const report = reportOf(status.output);
  const phase = progress?.phase;
  return {
    id: status.instanceId,
    ...(typeof request?.vmId === 'string' ? { vm: request.vmId } : {}),
    runtimeStatus: status.runtimeStatus,
    ...(phase ? { phase } : {}),
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    ...(request?.alert ? { alert: request.alert } : {}),
    ...(report ? { outcome: report.outcome } : {}),
    links: captureLinks(requestUrl, status.instanceId),
  };
}

/**
 * The full view of a run. Nothing in it is a secret: the orchestration never holds a signed link,
 * and any URL that carries a signature or key anyway is cut back to its path before it leaves.
 */
export function runView(status: RawRunStatus, requestUrl: string): RunView {
  const progress = progressOf(status.customStatus);
  const report = reportOf(status.output);
  const { summary, ...reportWithoutSummary } = report ?? {};
  const capture = report?.capture ?? captureProgressOf(progress);
  const error = report?.error ?? progress?.error;
  return withoutSignatures({
    ...runListItem(status, requestUrl),
    ...(progress ? { progress } : {}),
    ...(capture ? { capture } : {}),
    ...(report?.file ? { file: report.file } : {}),
    ...(summary ? { summary } : {}),
    ...(report ? { report: reportWithoutSummary as Omit<CaptureReport, 'summary'> } : {}),
    ...(error ? { error } : {}),
  });
}

function captureProgressOf(progress: RunStatus | undefined): CaptureProgress | undefined {
  if (!progress?.capture) return undefined;
  return {
    ...(progress.captureName ? { name: progress.captureName } : {}),
    ...(progress.joined ? { joined: true } : {}),
    ...progress.capture,
  };
}

function progressOf(customStatus: unknown): RunStatus | undefined {
  const status = objectOrUndefined(customStatus);
  return typeof status?.phase === 'string' ? (status as unknown as RunStatus) : undefined;
}

/** The run's output when it is a capture report (a run that crashed outright has an error text). */
function reportOf(output: unknown): CaptureReport | undefined {
  const report = objectOrUndefined(output);
  return typeof report?.outcome === 'string' && typeof report.instanceId === 'string'
    ? (report as unknown as CaptureReport)
    : undefined;
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
