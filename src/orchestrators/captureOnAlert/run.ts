import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityOutput } from '../../activities/contract';
import type { RunSettings } from '../../activities/loadRunSettings';
import type { CaptureReport, PreviousRun, ReportCapture, ReportError } from '../../capture/report';
import { isCaptureActive } from '../../capture/session';
import type { ResolvedTarget } from '../../capture/target';
import type { AlertOrigin, CaptureRequest } from '../../capture/types';
import type { LogEvent } from '../../runtime/invocationLog';
import { lastSegment } from '../../security/armResourceId';
import type { RunPhase, RunStatus } from '../contract';
import type { FollowPlan } from './followSchedule';
import { RunSignals } from './signals';

/** What a phase of the orchestrator is: a sub-generator that yields Durable tasks. */
export type Step<T> = Generator<Task, T, unknown>;

/** The capture a run follows, created by it or joined. */
export interface FollowedCapture extends Omit<ReportCapture, 'status' | 'stopReason' | 'errors' | 'cleanup'> {
  networkWatcherId: string;
  createdAt: Date;
  /** The last status a check returned (or the one the slot check found, for a joined capture). */
  state?: ActivityOutput<'getCaptureStatus'>;
  /** A check (or the slot check) saw it Running. */
  seenRunning?: boolean;
  /**
   * It cannot have started before this: the run's start for a capture it created, the longest a
   * session runs before the run found it for one it joined.
   */
  startsNotBefore: Date;
  plan?: FollowPlan;
}

/** Network Watcher reported it ended: Stopped, Error, or a failed provisioning. */
export function hasEnded(capture: FollowedCapture): boolean {
  return capture.state !== undefined && !isCaptureActive(capture.state, capture.state);
}

/**
 * It ran, by its status: seen Running, or reporting a start time that falls in its own lifetime.
 * A date alone proves nothing: a session that never started may report a default one.
 */
export function hasStarted(capture: FollowedCapture): boolean {
  return (
    capture.seenRunning === true || capture.state?.status === 'Running' || startTimeOf(capture) !== undefined
  );
}

/** Clock skew allowed between the orchestration's clock and Network Watcher's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Network Watcher's start time of the capture, when it is one: within the capture's lifetime (see
 * `startsNotBefore`). A default date such as 0001-01-01 is not a start.
 */
export function startTimeOf(capture: FollowedCapture): Date | undefined {
  const text = capture.state?.captureStartTime;
  if (!text) return undefined;
  const at = new Date(text);
  return at.getTime() >= capture.startsNotBefore.getTime() - CLOCK_SKEW_MS ? at : undefined;
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
  /** The StopCapture and AlertFired events. */
  readonly signals: RunSignals;
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
  /** The settings read at its start (their values stay in the history). */
  settings?: RunSettings;
  target?: ResolvedTarget;
  slot?: {
    sessionLimit: number;
    freeSlots: number;
    running: number;
    waitingUntil?: Date;
    /** Creates Network Watcher refused for its own session limit. */
    refusedByService?: number;
  };
  slotWaitSeconds?: number;
  /** The session slot this run holds for its capture (see leaseCaptureSlot). */
  lease?: { networkWatcherId: string; captureName: string };
  /** What the run waits for outside its phase's own business, shown in its status. */
  waitingFor?: { what: 'permissions' | 'file'; since: Date; step?: string };
  /** How the run waited for the capture file to reach storage and settle. */
  fileWait?: { waitedSeconds: number; looks: number; budgetSeconds: number };
  capture?: FollowedCapture;
  checks: { coarse: number; fast: number; onAlert?: number };
  nextCheckAt?: Date;
  endNoticedAt?: Date;
  verified?: ActivityOutput<'verifyCaptureBlob'>;
  notified?: ActivityOutput<'notify'>;
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

// ---- The run's input: read at its start, built for its follow-up ----

/** The input of a follow-up run: the new firing's request, and what is kept of the run before. */
interface FollowUpInput extends CaptureRequest {
  previous: PreviousRun;
}

/** A new run from the orchestration's input, in its first phase. */
export function startRun(context: OrchestrationContext): Run {
  const startedAt = context.df.currentUtcDateTime;
  const input: unknown = context.df.getInput();
  return {
    context,
    instanceId: context.df.instanceId,
    request: readRequest(input),
    startedAt,
    signals: new RunSignals(context.df),
    joinedAlerts: [],
    unconfirmedAlerts: [],
    ...previousRunOf(input),
    phase: 'preparing',
    phaseSince: startedAt,
    checks: { coarse: 0, fast: 0 },
    warnings: [],
  };
}

/**
 * The input as the webhook builds it. Only its shape is made safe here, so that a malformed
 * start still ends in a report: the activities validate the values and refuse bad ones.
 */
function readRequest(input: unknown): CaptureRequest {
  const { previous: _previous, ...request } = (
    typeof input === 'object' && input !== null ? input : {}
  ) as Partial<FollowUpInput>;
  return {
    ...request,
    vmId: typeof request.vmId === 'string' ? request.vmId : '',
    options: typeof request.options === 'object' && request.options !== null ? request.options : {},
  } as CaptureRequest;
}

function previousRunOf(input: unknown): { previous?: PreviousRun } {
  const previous = (input as Partial<FollowUpInput> | null)?.previous;
  return typeof previous === 'object' && previous !== null ? { previous } : {};
}

/** The input of the run that captures again for `request`, after the run that `report` ends. */
export function followUpInput(request: CaptureRequest, report: CaptureReport): FollowUpInput {
  return {
    ...request,
    previous: {
      outcome: report.outcome,
      ...(report.alert && { alert: report.alert }),
      ...(report.capture && { captureName: report.capture.name }),
      ...(report.file && { fileUrl: report.file.url }),
      ...(report.error && { errorCode: report.error.code }),
      finishedAt: report.timings.finishedAt,
    },
  };
}

// ---- The run's status ----

/** Moves the run to `phase` (the `since` time changes only with the phase) and publishes it. */
export function enterPhase(run: Run, phase: RunPhase): void {
  if (run.phase !== phase) {
    run.phase = phase;
    run.phaseSince = now(run);
    if (!run.context.df.isReplaying) {
      run.context.info(
        JSON.stringify({
          event: 'run.phase' satisfies LogEvent,
          instanceId: run.instanceId,
          vm: run.target?.vm.id ?? run.request.vmId,
          phase,
          capture: run.capture?.name,
          error: phase === 'failed' ? run.error?.code : undefined,
        }),
      );
    }
  }
  publishStatus(run);
}

export function publishStatus(run: Run): void {
  run.context.df.setCustomStatus(runStatusOf(run));
}

export function runStatusOf(run: Run): RunStatus {
  const { capture, target, slot } = run;
  const stop = run.signals.stopRequest;
  return {
    phase: run.phase,
    since: run.phaseSince.toISOString(),
    vm: target?.vm.name ?? lastSegment(run.request.vmId),
    vmId: target?.vm.id ?? run.request.vmId,
    ...(capture && { captureName: capture.name }),
    startedAt: run.startedAt.toISOString(),
    ...(capture?.mode === 'joined' && { joined: true }),
    ...(slot && {
      slot: {
        sessionLimit: slot.sessionLimit,
        freeSlots: slot.freeSlots,
        running: slot.running,
        ...(slot.waitingUntil && { waitingUntil: slot.waitingUntil.toISOString() }),
        ...(slot.refusedByService && { refusedByService: slot.refusedByService }),
      },
    }),
    ...(capture && {
      capture: {
        ...(capture.state && { status: capture.state.status }),
        ...(startTimeOf(capture) && { startedAt: capture.state!.captureStartTime }),
        ...(capture.plan && {
          expectedEndAt: capture.plan.expectedEndAt.toISOString(),
          deadlineAt: capture.plan.deadlineAt.toISOString(),
        }),
        ...(run.nextCheckAt && { nextCheckAt: run.nextCheckAt.toISOString() }),
        checks: { ...run.checks },
      },
    }),
    ...(stop && { stopRequested: stop }),
    ...(run.waitingFor && {
      waitingFor: {
        what: run.waitingFor.what,
        since: run.waitingFor.since.toISOString(),
        ...(run.waitingFor.step && { step: run.waitingFor.step }),
      },
    }),
    ...(run.error && { error: { code: run.error.code, message: run.error.message } }),
  };
}
