/**
 * The domain contract between the webhook (which builds a CaptureRequest from an alert), the
 * orchestrator and the activities. Everything here is plain JSON: it travels through Durable history.
 */

/** A Network Watcher 5-tuple filter; each value is a single value, one range or a `;` list. */
export interface CaptureFilter {
  protocol?: 'TCP' | 'UDP' | 'Any';
  localIPAddress?: string;
  remoteIPAddress?: string;
  localPort?: string;
  remotePort?: string;
}

/** Capture settings asked for by the alert; unset fields take the app settings' defaults. */
export interface CaptureOptions {
  timeLimitSeconds?: number;
  bytesPerPacket?: number;
  bytesPerSession?: number;
  filters?: CaptureFilter[];
}

export type AlertSchema =
  | 'commonAlertSchema'
  | 'azureMonitorMetricAlert'
  | 'activityLogAlert'
  | 'classicMetricAlert'
  | 'directRequest';

/** Where the request came from, carried into the report and the notification. */
export interface AlertOrigin {
  schema: AlertSchema;
  alertId?: string;
  ruleName?: string;
  severity?: string;
  firedAt?: string;
  description?: string;
}

export interface CaptureRequest {
  /** ARM id of the target VM as the alert gave it (casing is restored by resolveTarget). */
  vmId: string;
  options: CaptureOptions;
  alert: AlertOrigin;
  /** The seed article's direct request may pin these; alerts never do. */
  networkWatcherId?: string;
  captureName?: string;
  storageAccountId?: string;
}
