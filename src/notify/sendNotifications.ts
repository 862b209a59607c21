import { createHash } from 'node:crypto';
import { deliver, type DeliverOptions } from './deliver';
import { digestReport } from './digest';
import { genericWebhookMessage, type OutgoingMessage } from './genericWebhook';
import type { NotificationReport, ReportDownload } from './report';
import { slackMessage } from './slackBlocks';
import type { NotifyTarget, NotifyTargetKind } from './targets';
import { teamsMessage } from './teamsCard';

export interface TargetResult {
  target: NotifyTargetKind;
  /** Host only: the rest of a webhook URL is a secret. */
  host: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface SendOptions extends DeliverOptions {
  targets: readonly NotifyTarget[];
  download?: ReportDownload;
  sentAt?: Date;
}

/** Same report, same id: a re-run of the notify step lets receivers drop the duplicate. */
export function deliveryIdOf(report: NotificationReport): string {
  const key = [report.instanceId, report.outcome, report.capture?.name ?? ''].join('\n');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** Sends the report to every target at once; each target's outcome is reported, none throws. */
export async function sendNotifications(
  report: NotificationReport,
  options: SendOptions,
): Promise<TargetResult[]> {
  const digest = digestReport(report, options.download);
  const deliveryId = deliveryIdOf(report);
  const messageFor = (target: NotifyTarget): OutgoingMessage => {
    switch (target.kind) {
      case 'webhook':
        return genericWebhookMessage({
          report,
          download: options.download,
          deliveryId,
          sentAt: options.sentAt ?? new Date(),
          secret: target.secret,
        });
      case 'teams':
        return teamsMessage(digest);
      case 'slack':
        return slackMessage(digest);
    }
  };
  return Promise.all(
    options.targets.map(async (target) => {
      const outcome = await deliver(target.url, messageFor(target), options);
      return {
        target: target.kind,
        host: hostOf(target.url),
        ok: outcome.ok,
        attempts: outcome.attempts,
        ...(outcome.status !== undefined && { status: outcome.status }),
        ...(outcome.error !== undefined && { error: outcome.error }),
      };
    }),
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}
