import { z } from 'zod';
import type { CaptureSummary } from '../pcap/summary';

/**
 * What a notification says about one run (`NotificationReport`: the facts an operator reads; the
 * run's full `CaptureReport` stays in the orchestration output). The orchestrator builds it; the generic webhook sends
 * it as is (see docs/notifications.md, schema version 1), Teams and Slack render it.
 */
export const REPORT_SCHEMA_NAME = 'alert-capture.capture-report';
export const REPORT_SCHEMA_VERSION = 1;

const alertSchema = z.object({
  schema: z.string(),
  alertId: z.string().optional(),
  ruleName: z.string().optional(),
  severity: z.string().optional(),
  firedAt: z.string().optional(),
  description: z.string().optional(),
});

export const notificationReportSchema = z.object({
  outcome: z.enum(['succeeded', 'failed']),
  instanceId: z.string().min(1),
  vm: z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    resourceGroup: z.string().optional(),
    subscriptionId: z.string().optional(),
    location: z.string().optional(),
  }),
  alert: alertSchema.optional(),
  capture: z
    .object({
      name: z.string(),
      networkWatcherId: z.string().optional(),
      status: z.string().optional(),
      /** Network Watcher's stop reason, verbatim. */
      stopReason: z.string().optional(),
      /** Network Watcher's packetCaptureError values, verbatim. */
      errors: z.array(z.string()).default([]),
      startedAt: z.string().optional(),
      endedAt: z.string().optional(),
      timeLimitSeconds: z.number().optional(),
      bytesPerSession: z.number().optional(),
      /** Stopped by an operator, by the deadline, or by itself. */
      stoppedBy: z.enum(['service', 'operator', 'deadline', 'resolvedAlert']).optional(),
    })
    .optional(),
  file: z
    .object({
      /** Blob URL without SAS. */
      url: z.string(),
      size: z.number(),
      format: z.string(),
    })
    .optional(),
  summary: z.custom<CaptureSummary>((v) => typeof v === 'object' && v !== null).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Where operators follow the run (status API). */
  statusUrl: z.string().optional(),
});

export type NotificationReport = z.output<typeof notificationReportSchema>;
export type NotificationReportInput = z.input<typeof notificationReportSchema>;

/** A signed link added by notify itself, so that the link never enters orchestration history. */
export interface ReportDownload {
  url: string;
  expiresOn: string;
}
