import type { DurableEngine, InstanceStatus } from '../../../local/durable';
import { TERMINAL_STATUSES } from '../../../local/durable';
import type { CaptureReport } from '../../../src/capture/report';

/** One execution of a VM's run, as it ended. */
export interface EndedRun {
  instanceId: string;
  createdTime: string;
  runtimeStatus: string;
  /** The run's output: a CaptureReport when the orchestrator returned one. */
  output: unknown;
  report?: CaptureReport;
}

/**
 * Watches the engine of whichever host is up and keeps the end of every execution. A VM's run
 * id is reused when a later alert comes after its run ended, which replaces the stored output;
 * the observer reads often enough to keep each execution's report (told apart by created time).
 */
export class RunObserver {
  private readonly ended = new Map<string, EndedRun>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: () => DurableEngine | undefined,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.look(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.look();
  }

  /** Every execution seen ending, per instance id. */
  endedRuns(): EndedRun[] {
    return [...this.ended.values()];
  }

  /** The instances the engine holds now, whatever their state. */
  instances(): InstanceStatus[] {
    return this.engine()?.listInstances() ?? [];
  }

  private look(): void {
    for (const status of this.instances()) {
      if (!TERMINAL_STATUSES.includes(status.runtimeStatus)) continue;
      const key = `${status.instanceId}@${status.createdTime}`;
      if (this.ended.has(key)) continue;
      this.ended.set(key, {
        instanceId: status.instanceId,
        createdTime: status.createdTime,
        runtimeStatus: status.runtimeStatus,
        output: status.output,
        ...(isReport(status.output) && { report: status.output }),
      });
    }
  }
}

function isReport(output: unknown): output is CaptureReport {
  return typeof output === 'object' && output !== null && 'outcome' in output && 'instanceId' in output;
}
