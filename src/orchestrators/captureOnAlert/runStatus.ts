import type { CaptureStatus } from '../../capture/session';
import { now, type Run } from './run';

export type RunPhase =
  | 'preparing'
  | 'waitingForSlot'
  | 'creating'
  | 'capturing'
  | 'stopping'
  | 'verifying'
  | 'notifying'
  | 'cleaningUp'
  | 'succeeded'
  | 'failed';

/**
 * The custom status of a run, as the status API and Durable Functions Monitor show it: where the
 * run is, since when, and what it waits for. Kept small (the extension refuses more than 16 KB).
 */
export interface RunStatus {
  phase: RunPhase;
  /** When the run entered this phase. */
  since: string;
  /** VM name, and its id. */
  vm: string;
  vmId: string;
  captureName?: string;
  startedAt: string;
  /** The run follows a capture it found running on the VM instead of creating one. */
  joined?: boolean;
  slot?: { sessionLimit: number; freeSlots: number; running: number; waitingUntil?: string };
  capture?: {
    status?: CaptureStatus;
    startedAt?: string;
    expectedEndAt?: string;
    deadlineAt?: string;
    nextCheckAt?: string;
    checks: { coarse: number; fast: number; onAlert?: number };
  };
  stopRequested?: { reason?: string; requestedBy?: string };
  error?: { code: string; message: string };
}

/** Moves the run to `phase` (the `since` time changes only with the phase) and publishes it. */
export function enterPhase(run: Run, phase: RunPhase): void {
  if (run.phase !== phase) {
    run.phase = phase;
    run.phaseSince = now(run);
    if (!run.context.df.isReplaying) {
      run.context.info(
        JSON.stringify({
          event: 'run.phase',
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
  const stop = run.stop.request;
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
      },
    }),
    ...(capture && {
      capture: {
        ...(capture.state && { status: capture.state.status }),
        ...(capture.state?.captureStartTime && { startedAt: capture.state.captureStartTime }),
        ...(capture.plan && {
          expectedEndAt: capture.plan.expectedEndAt.toISOString(),
          deadlineAt: capture.plan.deadlineAt.toISOString(),
        }),
        ...(run.nextCheckAt && { nextCheckAt: run.nextCheckAt.toISOString() }),
        checks: { ...run.checks },
      },
    }),
    ...(stop && { stopRequested: stop }),
    ...(run.error && { error: { code: run.error.code, message: run.error.message } }),
  };
}

/** The last segment of a resource id: the VM name before the VM has been read. */
export function lastSegment(id: string): string {
  const parts = String(id).split('/').filter(Boolean);
  return parts[parts.length - 1] ?? String(id);
}
