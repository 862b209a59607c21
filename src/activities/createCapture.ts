import { z } from 'zod';
import { packetCapturesOf, type PacketCaptureApi } from '../azure/packetCaptures';
import { sameResourceId } from '../security/armResourceId';
import { validateCaptureFilters } from '../capture/filters';
import { resolveCaptureLimits, type CaptureLimits, type LimitAdjustment } from '../capture/limits';
import { isValidCaptureName } from '../capture/naming';
import { isCaptureActive, isProvisioningFailed, type CaptureSession } from '../capture/session';
import type { CaptureFilter } from '../capture/types';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import type { InvocationLog } from '../runtime/invocationLog';
import { defineActivity } from './activityResult';
import { instanceIdSchema, networkWatcherIdSchema, storageAccountIdSchema, targetVmSchema } from './schemas';

/** How long one activity waits for provisioning before handing the wait to a retry. */
const PROVISIONING_WAIT_MS = 120_000;
/** Clock skew allowed between Durable's clock and Network Watcher's when dating a capture. */
const CLOCK_SKEW_MS = 60_000;

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vm: targetVmSchema,
  networkWatcherId: networkWatcherIdSchema,
  /** `context.df.currentUtcDateTime` of the orchestration's first episode: names the capture. */
  orchestrationTime: z.iso.datetime({ offset: true }),
  options: z
    .object({
      timeLimitSeconds: z.number().optional(),
      bytesPerPacket: z.number().optional(),
      bytesPerSession: z.number().optional(),
      filters: z.array(z.unknown()).optional(),
    })
    .default({}),
  /**
   * The capture's name: pinned by the request, or derived by the orchestrator (`captureNameFor`)
   * from the VM and `orchestrationTime`, so that a retry finds the capture it made.
   */
  captureName: z.string().refine(isValidCaptureName, 'is not a valid packet capture name'),
  storageAccountId: storageAccountIdSchema.optional(),
});

export type CreateCaptureInput = z.input<typeof inputSchema>;

export interface CreateCaptureOutput {
  capture: CaptureSession;
  /** False when an attempt before this one had already created it. */
  created: boolean;
  /** Why a capture of the same name was deleted first, if one was. */
  replaced?: 'provisioningFailed' | 'finishedBeforeThisRun' | 'finishedOnOtherTarget';
  limits: CaptureLimits;
  filters: CaptureFilter[];
  /** Requested limits changed to fit the API. */
  adjustments: LimitAdjustment[];
}

/**
 * Creates the run's capture and waits until its provisioning state is Succeeded. Safe to run again: the name is fixed
 * by VM and orchestration time, so a retry finds its own capture and returns it; a stale
 * capture holding the name (failed, or finished before this run) is deleted first; a running
 * capture of the same name on another VM is a conflict.
 */
export const createCapture = defineActivity({
  name: 'createCapture',
  schema: inputSchema,
  scope: (i) => ({ instanceId: i.instanceId, vm: i.vm.id }),
  run: async (request, log): Promise<CreateCaptureOutput> => {
    const config = getConfig();
    const filters = validateCaptureFilters(request.options.filters ?? config.CAPTURE_DEFAULT_FILTERS);
    const { limits, adjustments } = resolveCaptureLimits(request.options, {
      timeLimitSeconds: config.CAPTURE_TIME_LIMIT_SECONDS,
      bytesPerPacket: config.CAPTURE_BYTES_PER_PACKET,
      bytesPerSession: config.CAPTURE_BYTES_PER_SESSION,
    });
    const name = request.captureName;
    const api = packetCapturesOf(request.networkWatcherId);
    const outcome = { limits, filters, adjustments };

    const existing = await api.get(name);
    let replaced: CreateCaptureOutput['replaced'];
    if (existing) {
      replaced = await staleReason(api, existing, request.vm.id, Date.parse(request.orchestrationTime));
      if (!replaced) {
        log.info('capture.exists', { capture: name, provisioningState: existing.provisioningState });
        if (existing.provisioningState !== 'Succeeded') throw stillProvisioning(name);
        return { capture: existing, created: false, ...outcome };
      }
      log.info('capture.replacingStale', { capture: name, reason: replaced });
      await api.delete(name);
    }
    const body = {
      target: request.vm.id,
      targetType: 'AzureVM' as const,
      bytesToCapturePerPacket: limits.bytesPerPacket,
      totalBytesPerSession: limits.bytesPerSession,
      timeLimitInSeconds: limits.timeLimitSeconds,
      storageLocation: { storageId: request.storageAccountId ?? config.CAPTURE_STORAGE_ACCOUNT_ID },
      filters: filters.length > 0 ? filters : undefined,
    };
    // Each PUT sent is counted on the capture's slot (azure/pipelinePolicies: capturePutPolicy).
    const { capture, created } = await create(api, name, body, log);
    return { capture, created, ...(replaced && { replaced }), ...outcome };
  },
});

/** Undefined when `existing` is this run's own capture; else why it may be replaced. */
async function staleReason(
  api: PacketCaptureApi,
  existing: CaptureSession,
  vmId: string,
  orchestrationMs: number,
): Promise<CreateCaptureOutput['replaced']> {
  if (isProvisioningFailed(existing.provisioningState)) return 'provisioningFailed';
  const state = await api.status(existing.name);
  const active = isCaptureActive(existing, state);
  if (!sameResourceId(existing.target, vmId)) {
    if (active) {
      throw new AppError(
        'CAPTURE_NAME_CONFLICT',
        `Packet capture ${existing.name} is ${state.status} on another target (${existing.target}); stop or delete it, or request another name.`,
        {
          details: {
            capture: existing.name,
            target: existing.target,
            wantedTarget: vmId,
            status: state.status,
          },
        },
      );
    }
    return 'finishedOnOtherTarget';
  }
  const started = state.captureStartTime ? Date.parse(state.captureStartTime) : NaN;
  if (!active && started < orchestrationMs - CLOCK_SKEW_MS) return 'finishedBeforeThisRun';
  return undefined;
}

async function create(
  api: PacketCaptureApi,
  name: string,
  body: Parameters<PacketCaptureApi['create']>[1],
  log: InvocationLog,
): Promise<{ capture: CaptureSession; created: boolean }> {
  const abort = AbortSignal.timeout(PROVISIONING_WAIT_MS);
  try {
    const capture = await api.create(name, body, abort);
    log.info('capture.created', { capture: name, provisioningState: capture.provisioningState });
    return { capture, created: true };
  } catch (error) {
    if (abort.aborted) throw stillProvisioning(name, error);
    if (isSessionLimitRefusal(error)) throw sessionsExhausted(name, error);
    // A PUT of an earlier attempt may have landed after our read: adopt it if it is ours.
    if (!(error instanceof AppError) || error.code !== 'ARM_CONFLICT') throw error;
    const existing = await api.get(name);
    if (!existing || !sameResourceId(existing.target, body.target)) throw error;
    if (existing.provisioningState !== 'Succeeded') throw stillProvisioning(name, error);
    log.info('capture.adopted', { capture: name });
    return { capture: existing, created: false };
  }
}

/**
 * Network Watcher refused the create because the watcher's sessions are used up. Its error code
 * for that is not documented (the emulator answers 400 PacketCaptureSessionLimitReached); a
 * refusal whose code speaks of a limit or a quota is taken for it.
 */
function isSessionLimitRefusal(error: unknown): error is AppError {
  if (!(error instanceof AppError)) return false;
  if (error.code !== 'ARM_REQUEST_REJECTED' && error.code !== 'ARM_CONFLICT') return false;
  return /limit|quota|exceed/i.test(String(error.details.armCode ?? ''));
}

function sessionsExhausted(name: string, cause: AppError): AppError {
  return new AppError(
    'CAPTURE_SESSIONS_EXHAUSTED',
    `Network Watcher refused packet capture ${name}: its session limit is reached (${String(cause.details.armCode)}: ` +
      `${String(cause.details.armMessage ?? cause.message)}). Stopped captures that are not deleted may count towards it.`,
    {
      details: { capture: name, armCode: cause.details.armCode, armMessage: cause.details.armMessage },
      cause,
    },
  );
}

function stillProvisioning(name: string, cause?: unknown): AppError {
  return new AppError(
    'CAPTURE_PROVISIONING_PENDING',
    `Packet capture ${name} is still provisioning; the step will be retried and find it.`,
    { details: { capture: name }, cause },
  );
}
