import type { CaptureReport } from '../../capture/report';
import type { CaptureReportInput } from '../../notify/report';

/**
 * The run's report in the notification's schema (docs/notifications.md, version 1): the facts an
 * operator reads in a message; the full report stays in the orchestration output.
 */
export function toNotificationReport(report: CaptureReport): CaptureReportInput {
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
