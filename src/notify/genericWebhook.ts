import {
  REPORT_SCHEMA_NAME,
  REPORT_SCHEMA_VERSION,
  type NotificationReport,
  type ReportDownload,
} from './report';
import { SIGNATURE_HEADER, signBody } from './signature';

export interface OutgoingMessage {
  body: string;
  /** Headers for one attempt (a signature carries the attempt's time). */
  headers(nowSeconds: number): Record<string, string>;
}

export const EVENT_HEADER = 'x-alert-capture-event';
export const DELIVERY_HEADER = 'x-alert-capture-delivery';

/** The generic webhook's JSON document, version 1 (docs/notifications.md). */
export interface GenericWebhookPayload {
  schema: typeof REPORT_SCHEMA_NAME;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  event: 'capture.succeeded' | 'capture.failed';
  /** The same for every delivery of the same report: receivers deduplicate on it. */
  deliveryId: string;
  sentAt: string;
  report: NotificationReport;
  download: ReportDownload | null;
}

export function genericWebhookMessage(options: {
  report: NotificationReport;
  download?: ReportDownload;
  deliveryId: string;
  sentAt: Date;
  secret?: string;
}): OutgoingMessage {
  const payload: GenericWebhookPayload = {
    schema: REPORT_SCHEMA_NAME,
    schemaVersion: REPORT_SCHEMA_VERSION,
    event: `capture.${options.report.outcome}`,
    deliveryId: options.deliveryId,
    sentAt: options.sentAt.toISOString(),
    report: options.report,
    download: options.download ?? null,
  };
  const body = JSON.stringify(payload);
  return {
    body,
    headers: (nowSeconds) => ({
      'content-type': 'application/json; charset=utf-8',
      [EVENT_HEADER]: payload.event,
      [DELIVERY_HEADER]: payload.deliveryId,
      ...(options.secret && { [SIGNATURE_HEADER]: signBody(options.secret, body, nowSeconds) }),
    }),
  };
}
