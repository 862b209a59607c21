import { expect } from 'vitest';
import { createTestHost, type TestHost } from '../../../local/durable';
import type { SessionInfo } from '../../../local/emulator/types';
import type { CaptureReport } from '../../../src/capture/report';
import type { CaptureOptions, CaptureRequest } from '../../../src/capture/types';
import { CAPTURE_ON_ALERT_ORCHESTRATOR, type RunStatus } from '../../../src/orchestrators/contract';
import type { OfflineStack } from '../../support/stack';
import { APP_ENTRY } from './appModules';

export interface RunHarness {
  host: TestHost;
  stack: OfflineStack;
  /** Every custom status the run published, in order (one per episode). */
  statuses: RunStatus[];
  /** What the app logged (kept, not printed). */
  logs: string[];
  start(vm: string, options?: CaptureOptions, extra?: Partial<CaptureRequest>): Promise<string>;
  /** Runs the instance to its end (virtual time) and returns its report. */
  finish(instanceId: string): Promise<CaptureReport>;
  /** Advances virtual time until the run's custom status reaches `phase`. */
  untilPhase(instanceId: string, phase: RunStatus['phase']): Promise<RunStatus>;
  sessions(): Promise<SessionInfo[]>;
  /** Replays the run's history prefix by prefix: every episode gives the same actions again. */
  replaysDeterministically(instanceId: string): Promise<void>;
}

/**
 * The app as the Functions host loads it, on the local Durable engine with a virtual clock that
 * drives the emulator's manual clock: a durable timer that fires at T finds Network Watcher at T.
 * The emulator namespace is reset first, so each test starts with no capture and no fault.
 */
export interface RunHarnessOptions {
  /** Every VM of the allowed subscription sends this many packets per second (hours stay small). */
  packetsPerSecond?: number;
  /** Runs after the emulator's clock has moved, before the timers due then fire. */
  afterClockAdvance?: (time: Date) => Promise<void>;
}

export async function createRunHarness(
  stack: OfflineStack,
  options: RunHarnessOptions = {},
): Promise<RunHarness> {
  await stack.admin.reset();
  if (options.packetsPerSecond !== undefined) {
    const ownVms = stack.namespace.vms.filter((vm) =>
      vm.id.startsWith(`/subscriptions/${stack.subscriptionId}/`),
    );
    await stack.admin.upsertVms(
      ownVms.map(({ name, resourceGroup, location, privateIps }) => ({
        name,
        resourceGroup,
        location,
        privateIps,
        packetsPerSecond: options.packetsPerSecond,
      })),
    );
  }
  const start = new Date((await stack.admin.clock()).nowMs);
  const statuses: RunStatus[] = [];
  const host = await createTestHost({
    entry: APP_ENTRY,
    startTime: start,
    onClockAdvance: async (time) => {
      await stack.admin.setClock(time);
      await options.afterClockAdvance?.(time);
    },
    onEpisode: (notice) => {
      if (notice.customStatus) statuses.push(notice.customStatus as RunStatus);
    },
  });
  const logs: string[] = [];
  host.registry.logSink = (level, category, message) => logs.push(`${level} ${category} ${message}`);
  const current = (id: string) => host.getStatus(id)?.customStatus as RunStatus | undefined;
  return {
    host,
    stack,
    statuses,
    logs,
    start: (vm, options = {}, extra = {}) =>
      host.start(CAPTURE_ON_ALERT_ORCHESTRATOR, captureRequest(stack.vmId(vm), options, extra)),
    finish: async (instanceId) => {
      const status = await host.runToCompletion(instanceId);
      expect(status.runtimeStatus, JSON.stringify(host.failure(instanceId))).toBe('Completed');
      return status.output as CaptureReport;
    },
    untilPhase: async (instanceId, phase) => {
      await host.advanceUntil(() => current(instanceId)?.phase === phase);
      return current(instanceId)!;
    },
    sessions: () => stack.admin.sessions(),
    replaysDeterministically: async (instanceId) => {
      const replay = await host.replayEveryPrefix(instanceId);
      expect(replay.prefixes).toBe(host.episodes(instanceId).length);
    },
  };
}

export function captureRequest(
  vmId: string,
  options: CaptureOptions = {},
  extra: Partial<CaptureRequest> = {},
): CaptureRequest {
  return {
    vmId: vmId.toLowerCase(),
    options,
    alert: {
      schema: 'commonAlertSchema',
      alertId: 'alert-1',
      ruleName: 'Network Out above normal',
      severity: 'Sev2',
    },
    ...extra,
  };
}
