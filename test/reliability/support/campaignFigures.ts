import type { Delivered } from './actionGroup';
import { RESOLVED_SAMPLE, type PlannedPost, type StormPlan } from './alertStorm';
import type { CampaignSize } from './campaignSize';
import type { EmulatorLedger } from './emulatorLedger';
import type { ProxyCounts } from './faultyProxy';
import type { NotifyReceiver } from './notifyReceiver';
import type { EndedRun } from './runObserver';

/** ARM's client gives up on a request after 30 s (ARM_PIPELINE_LIMITS.requestTimeoutMs). */
const ARM_TIMEOUT_MS = 30_000;

export interface CampaignFacts {
  size: CampaignSize;
  plan: StormPlan;
  answers: { post: PlannedPost; answer: Delivered }[];
  runs: EndedRun[];
  capturesLeft: number;
  elapsedMs: number;
  ledger: EmulatorLedger;
  blob: ProxyCounts;
  notify: ReturnType<NotifyReceiver['counts']>;
  resumed: readonly number[];
  secretsInLogs: number;
}

/** What was lost: every count must be zero. */
export interface Lost {
  alertsNotAccepted: number;
  runsWithoutReport: number;
  capturesLeft: number;
  notificationsUnaccounted: number;
  secretsInLogs: number;
}

/** The campaign's figures as the README table quotes them: load, weather, restarts, outcomes, losses. */
export function campaignFigures(facts: CampaignFacts) {
  const { size, plan, answers, runs, ledger, blob, notify } = facts;
  const arm = ledger.requests.filter((r) => r.route !== 'blobUpload');
  const uploads = ledger.requests.filter((r) => r.route === 'blobUpload');
  const outcomes: Record<string, number> = {};
  const stoppedBy: Record<string, number> = {};
  for (const run of runs) {
    const key =
      run.report?.outcome === 'failed' ? `failed ${run.report.error?.code}` : String(run.report?.outcome);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    const by = run.report?.capture?.stoppedBy ?? 'no capture';
    stoppedBy[by] = (stoppedBy[by] ?? 0) + 1;
  }
  const lost: Lost = {
    alertsNotAccepted: answers.filter(
      ({ post, answer }) => answer.status !== (post.sample === RESOLVED_SAMPLE ? 200 : 202),
    ).length,
    runsWithoutReport: runs.filter((run) => run.runtimeStatus !== 'Completed' || !run.report).length,
    capturesLeft: facts.capturesLeft,
    notificationsUnaccounted: runs.filter((run) => {
      const notifications = run.report?.notifications;
      return !notifications || notifications.delivered.length + notifications.failed.length !== 1;
    }).length,
    secretsInLogs: facts.secretsInLogs,
  };
  return {
    size: size.name,
    load: {
      vms: size.vms,
      alerts: plan.alerts,
      posts: plan.posts.length,
      duplicatePosts: plan.duplicates,
      actionGroupRetries: answers.reduce((sum, { answer }) => sum + answer.statuses.length - 1, 0),
      joined: answers.filter(({ answer }) => answer.body.joined === true).length,
      runs: runs.reduce((sum, run) => sum + (run.report?.previous ? 2 : 1), 0),
      followUpRuns: runs.filter((run) => run.report?.previous).length,
      sessionLimit: size.sessionLimit,
      maxActiveSessions: ledger.maxActiveSessions,
      runsThatWaitedForASlot: runs.filter((run) => (run.report?.timings.slotWaitSeconds ?? 0) > 0).length,
      resolvedMidCapture: plan.resolved.length,
      captureSeconds: size.captureSeconds,
      elapsedSeconds: Math.round(facts.elapsedMs / 100) / 10,
    },
    faults: {
      armRequests: arm.length,
      /** `timeout`: held requests whose late answer the emulator logged (a held PUT or POST whose client left is not). */
      armFaults: ledger.faultsByKind(ARM_TIMEOUT_MS),
      requestsHeldPastTimeout: size.timeouts,
      uploads: uploads.length,
      uploadsFailed: uploads.filter((u) => u.status >= 400).length,
      blobRequests: blob.requests,
      blobFaults: blob.faults,
      notificationPosts: notify.posts,
      notificationFaults: notify.faults,
      notificationsRefused: notify.refused,
    },
    restarts: { count: facts.resumed.length, runsResumed: [...facts.resumed] },
    outcomes,
    stoppedBy,
    failedRuns: runs
      .filter((run) => run.report?.outcome === 'failed')
      .map((run) => ({
        vm: run.report!.target.vmName,
        code: run.report!.error?.code,
        captureErrors: run.report!.capture?.errors,
      })),
    lost,
  };
}
