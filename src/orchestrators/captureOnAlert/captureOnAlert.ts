import type { OrchestrationContext } from 'durable-functions';
import type { CaptureReport, PreviousRun } from '../../capture/report';
import type { CaptureRequest } from '../../capture/types';
import { acquireSlot } from './acquireSlot';
import { compensate } from './compensate';
import { createCapture, joinCapture } from './createOrJoin';
import { finish } from './finish';
import { followCapture } from './follow';
import { prepare } from './prepare';
import { reportErrorOf } from './reportError';
import type { Run, Step } from './run';
import { publishStatus } from './runStatus';
import { AlertSignal } from './alertSignal';
import { StopSignal } from './stopSignal';
import { verifyCapture } from './verify';

/**
 * The run for one alert on one VM (DESIGN "The workflow", 2–10): prepare, find a slot or a
 * capture to join, create, follow, verify and analyse; on any failure, compensate. Every run
 * ends with a notification, the cleanup and a CaptureReport as its output, whatever happened.
 *
 * Deterministic: no I/O, no clock but the orchestration's, no randomness; the phases below keep
 * to that too.
 */
export function* captureOnAlert(context: OrchestrationContext): Step<CaptureReport> {
  const run = startRun(context);
  try {
    const { settings, target } = yield* prepare(run);
    const slot = yield* acquireSlot(run, target, settings.slotWaitSeconds);
    const capture =
      slot.kind === 'join' ? joinCapture(run, target, slot.capture) : yield* createCapture(run, target);
    yield* followCapture(run, capture, settings.checkIntervalSeconds);
    yield* verifyCapture(run, capture);
  } catch (error) {
    run.error = reportErrorOf(error, run.phase);
    publishStatus(run);
    yield* compensate(run);
  }
  const report = yield* finish(run);
  // A firing that came after the capture ended gets its own capture, under the same instance id.
  if (run.followUp) context.df.continueAsNew(followUpInput(run.followUp, report));
  return report;
}

function startRun(context: OrchestrationContext): Run {
  const startedAt = context.df.currentUtcDateTime;
  return {
    context,
    instanceId: context.df.instanceId,
    request: readRequest(context.df.getInput()),
    startedAt,
    stop: new StopSignal(context.df),
    alerts: new AlertSignal(context.df),
    joinedAlerts: [],
    unconfirmedAlerts: [],
    ...previousRunOf(context.df.getInput()),
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

/** The input of a follow-up run: the new firing's request, and what is kept of the run before. */
interface FollowUpInput extends CaptureRequest {
  previous: PreviousRun;
}

function followUpInput(request: CaptureRequest, report: CaptureReport): FollowUpInput {
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

function previousRunOf(input: unknown): { previous?: PreviousRun } {
  const previous = (input as Partial<FollowUpInput> | null)?.previous;
  return typeof previous === 'object' && previous !== null ? { previous } : {};
}
