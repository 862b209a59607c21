import type { OrchestrationContext, Task } from 'durable-functions';
import type { GetCaptureStatusOutput } from '../../activities/getCaptureStatus';
import type { NotifyOutput } from '../../activities/notify';
import type { VerifyCaptureBlobOutput } from '../../activities/verifyCaptureBlob';
import type { PreviousRun, ReportCapture, ReportError } from '../../capture/report';
import { isCaptureActive } from '../../capture/session';
import type { ResolvedTarget } from '../../capture/target';
import type { AlertOrigin, CaptureRequest } from '../../capture/types';
import type { AlertSignal } from './alertSignal';
import type { FollowPlan } from './followSchedule';
import type { RunPhase } from './runStatus';
import type { StopSignal } from './stopSignal';

/** What a phase of the orchestrator is: a sub-generator that yields Durable tasks. */
export type Step<T> = Generator<Task, T, unknown>;

/** The capture a run follows, created by it or joined. */
export interface FollowedCapture extends Omit<ReportCapture, 'status' | 'stopReason' | 'errors' | 'cleanup'> {
  networkWatcherId: string;
  createdAt: Date;
  /** The last status a check returned (or the one the slot check found, for a joined capture). */
  state?: GetCaptureStatusOutput;
  plan?: FollowPlan;
}

/** Network Watcher reported it ended: Stopped, Error, or a failed provisioning. */
export function hasEnded(capture: FollowedCapture): boolean {
  return capture.state !== undefined && !isCaptureActive(capture.state, capture.state);
}

/**
 * It ran: Running, or a start time (which Network Watcher keeps once the capture has stopped).
 * A capture that ended without either never started.
 */
export function hasStarted(capture: FollowedCapture): boolean {
  return capture.state?.status === 'Running' || Boolean(capture.state?.captureStartTime);
}

/**
 * Everything a run has learned so far. It lives only in the generator's memory: every replay
 * rebuilds it from the history, so it must only change from task results and the orchestration
 * clock.
 */
export interface Run {
  readonly context: OrchestrationContext;
  readonly instanceId: string;
  readonly request: CaptureRequest;
  /** The run before, when this one is its follow-up. */
  readonly previous?: PreviousRun;
  /** The orchestration time of the first episode. */
  readonly startedAt: Date;
  readonly stop: StopSignal;
  readonly alerts: AlertSignal;
  /** Later alerts this run's capture covered (it still ran when they fired). */
  joinedAlerts: AlertOrigin[];
  /** Alerts that arrived while capturing, not yet known to be covered: the next check tells. */
  unconfirmedAlerts: CaptureRequest[];
  /** An alert that fired after the capture ended: the run captures again for it (continueAsNew). */
  followUp?: CaptureRequest;
  phase: RunPhase;
  phaseSince: Date;
  /** The run's status API URL on the app's public host, when the app knows it. */
  statusUrl?: string;
  target?: ResolvedTarget;
  slot?: { sessionLimit: number; freeSlots: number; running: number; waitingUntil?: Date };
  slotWaitSeconds?: number;
  capture?: FollowedCapture;
  checks: { coarse: number; fast: number; onAlert?: number };
  nextCheckAt?: Date;
  endNoticedAt?: Date;
  verified?: VerifyCaptureBlobOutput;
  notified?: NotifyOutput;
  notifyError?: ReportError;
  /** The failure that decided the outcome. */
  error?: ReportError;
  warnings: ReportError[];
}

export function now(run: Run): Date {
  return run.context.df.currentUtcDateTime;
}

/** The capture reference every capture activity takes. */
export function captureRef(run: Run, capture: FollowedCapture) {
  return {
    instanceId: run.instanceId,
    vmId: run.target?.vm.id,
    networkWatcherId: capture.networkWatcherId,
    captureName: capture.name,
  };
}
