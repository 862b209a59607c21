import {
  CAPTURE_REPORT_SCHEMA_VERSION,
  type CaptureReport,
  type ReportCapture,
  type ReportNotification,
  type ReportTarget,
} from '../../capture/report';
import type { NotificationReportInput } from '../../notify/report';
import { lastSegment } from '../../security/armResourceId';
import { now, startTimeOf, type Run } from './run';

/** The run's report from what it has learned; `cleanup` is what became of the capture resource. */
export function buildReport(run: Run, cleanup?: ReportCapture['cleanup']): CaptureReport {
  const { verified, notified, capture } = run;
  return {
    schemaVersion: CAPTURE_REPORT_SCHEMA_VERSION,
    outcome: run.error ? 'failed' : 'succeeded',
    instanceId: run.instanceId,
    target: targetOf(run),
    ...(run.request.alert && { alert: run.request.alert }),
    ...(capture && { capture: captureOf(run, cleanup) }),
    timings: {
      startedAt: run.startedAt.toISOString(),
      ...(run.slotWaitSeconds !== undefined && { slotWaitSeconds: run.slotWaitSeconds }),
      ...(capture && { captureCreatedAt: capture.createdAt.toISOString() }),
      ...(capture && startTimeOf(capture) && { captureStartedAt: capture.state!.captureStartTime }),
      ...(capture?.plan && {
        expectedEndAt: capture.plan.expectedEndAt.toISOString(),
        deadlineAt: capture.plan.deadlineAt.toISOString(),
        checkIntervalSeconds: capture.plan.checkIntervalSeconds,
      }),
      ...(run.endNoticedAt && { endNoticedAt: run.endNoticedAt.toISOString() }),
      finishedAt: now(run).toISOString(),
      checks: { ...run.checks },
    },
    ...(verified && {
      file: {
        url: verified.blob.url,
        size: verified.size,
        format: verified.format.format,
        ...(verified.lastModified && { lastModified: verified.lastModified }),
        ...(verified.summaryBlob && { summaryUrl: verified.summaryBlob.url }),
        ...(run.fileWait && { waitedSeconds: run.fileWait.waitedSeconds, looks: run.fileWait.looks }),
      },
    }),
    ...(verified?.summary && { summary: verified.summary }),
    ...(verified?.analysisError && { analysisError: verified.analysisError }),
    ...(notified &&
      (notified.linkExpiresOn || notified.linkError) && {
        download: {
          ...(notified.linkExpiresOn && { linkExpiresOn: notified.linkExpiresOn }),
          ...(notified.linkError && { linkError: notified.linkError }),
        },
      }),
    notifications: {
      delivered: (notified?.delivered ?? []).map(notificationOf),
      failed: (notified?.failed ?? []).map(notificationOf),
      ...(run.notifyError && { error: run.notifyError }),
    },
    ...(run.error && { error: run.error }),
    warnings: [...run.warnings],
    ...(run.joinedAlerts.length > 0 && { joinedAlerts: [...run.joinedAlerts] }),
    ...(run.followUp && { followUp: run.followUp.alert }),
    ...(run.previous && { previous: run.previous }),
  };
}

function targetOf(run: Run): ReportTarget {
  const requestedVmId = String(run.request.vmId ?? '');
  const vm = run.target?.vm;
  if (!vm) return { requestedVmId, vmId: requestedVmId, vmName: lastSegment(requestedVmId) };
  return {
    requestedVmId,
    vmId: vm.id,
    vmName: vm.name,
    resourceGroup: vm.resourceGroup,
    subscriptionId: vm.subscriptionId,
    location: vm.location,
    privateIpAddresses: vm.privateIpAddresses,
    networkWatcherId: run.target!.networkWatcher.id,
    agent: run.target!.agent,
  };
}

function captureOf(run: Run, cleanup: ReportCapture['cleanup']): ReportCapture {
  const capture = run.capture!;
  const state = capture.state;
  return {
    name: capture.name,
    mode: capture.mode,
    owned: capture.owned,
    ...(capture.replaced && { replaced: capture.replaced }),
    settings: capture.settings,
    ...(state && { status: state.status }),
    ...(state?.stopReason && { stopReason: state.stopReason }),
    errors: state?.errors ?? [],
    ...(capture.stoppedBy && { stoppedBy: capture.stoppedBy }),
    ...(capture.stopRequest && { stopRequest: capture.stopRequest }),
    ...(capture.storagePath && { storagePath: capture.storagePath }),
    ...(cleanup && { cleanup }),
  };
}

function notificationOf(result: ReportNotification): ReportNotification {
  return {
    target: result.target,
    host: result.host,
    ok: result.ok,
    attempts: result.attempts,
    ...(result.status !== undefined && { status: result.status }),
    ...(result.error && { error: result.error }),
  };
}

/**
 * The run's report in the notification's schema (docs/notifications.md, version 1): the facts an
 * operator reads in a message; the full report stays in the orchestration output.
 */
export function toNotificationReport(report: CaptureReport): NotificationReportInput {
  const { target, capture, timings, file } = report;
  // The notification names who ended a capture; a stop during the cleanup after a failure is not one.
  const stoppedBy = capture?.stoppedBy === 'compensation' ? undefined : capture?.stoppedBy;
  return {
    outcome: report.outcome,
    instanceId: report.instanceId,
    vm: {
      id: target.vmId,
      name: target.vmName,
      ...(target.resourceGroup && { resourceGroup: target.resourceGroup }),
      ...(target.subscriptionId && { subscriptionId: target.subscriptionId }),
      ...(target.location && { location: target.location }),
    },
    ...(report.alert && { alert: report.alert }),
    ...(capture && {
      capture: {
        name: capture.name,
        ...(target.networkWatcherId && { networkWatcherId: target.networkWatcherId }),
        ...(capture.status && { status: capture.status }),
        ...(capture.stopReason && { stopReason: capture.stopReason }),
        errors: capture.errors,
        ...(timings.captureStartedAt && { startedAt: timings.captureStartedAt }),
        ...(timings.endNoticedAt && { endedAt: timings.endNoticedAt }),
        ...(capture.settings.timeLimitSeconds !== undefined && {
          timeLimitSeconds: capture.settings.timeLimitSeconds,
        }),
        ...(capture.settings.bytesPerSession !== undefined && {
          bytesPerSession: capture.settings.bytesPerSession,
        }),
        ...(stoppedBy && { stoppedBy }),
      },
    }),
    ...(file && { file: { url: file.url, size: file.size, format: file.format } }),
    ...(report.summary && { summary: report.summary }),
    ...(report.error && { error: { code: report.error.code, message: report.error.message } }),
  };
}
