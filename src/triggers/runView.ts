import type { AlertOrigin, CaptureRequest } from '../capture/types';
import { captureLinks, type CaptureLinks } from './routes';
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
  vm?: string;
  runtimeStatus: string;
  phase?: string;
  createdTime: string;
  lastUpdatedTime: string;
  alert?: AlertOrigin;
  links: CaptureLinks;
}

/** `GET /api/captures/{id}`: the list item plus what the run is doing and, at the end, its report. */
export interface RunView extends RunListItem {
  /** The orchestrator's custom status: the current phase and its facts. */
  progress?: unknown;
  /** The run's output once it has ended: the capture report (or the failure). */
  report?: unknown;
  summary?: unknown;
}

export function runListItem(status: RawRunStatus, requestUrl: string): RunListItem {
  const request = asRequest(status.input);
  const phase = phaseOf(status.customStatus);
  return {
    id: status.instanceId,
    ...(request?.vmId ? { vm: request.vmId } : {}),
    runtimeStatus: status.runtimeStatus,
    ...(phase ? { phase } : {}),
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    ...(request?.alert ? { alert: request.alert } : {}),
    links: captureLinks(requestUrl, status.instanceId),
  };
}

/**
 * The full view of a run. Nothing in it is a secret: the orchestration never holds a signed link,
 * and any URL that carries a signature anyway is cut back to its path before it leaves.
 */
export function runView(status: RawRunStatus, requestUrl: string): RunView {
  const report = isObject(status.output) ? status.output : undefined;
  return withoutSignatures({
    ...runListItem(status, requestUrl),
    ...(status.customStatus === null || status.customStatus === undefined
      ? {}
      : { progress: status.customStatus }),
    ...(status.output === null || status.output === undefined ? {} : { report: status.output }),
    ...(report && 'summary' in report ? { summary: report.summary } : {}),
  });
}

function phaseOf(customStatus: unknown): string | undefined {
  return isObject(customStatus) && typeof customStatus.phase === 'string' ? customStatus.phase : undefined;
}

function asRequest(input: unknown): Partial<CaptureRequest> | undefined {
  return isObject(input) ? (input as Partial<CaptureRequest>) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
