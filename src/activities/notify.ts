import { z } from 'zod';
import { linkToCaptureBlob } from '../azure/downloadLink';
import { getConfig } from '../config';
import { AppError } from '../errors/AppError';
import type { DeliverOptions } from '../notify/deliver';
import { notificationReportSchema, type ReportDownload } from '../notify/report';
import { sendNotifications, type TargetResult } from '../notify/sendNotifications';
import { configuredTargets } from '../notify/targets';
import type { InvocationLog } from '../runtime/invocationLog';
import { defineActivity } from './activityResult';
import { instanceIdSchema } from './schemas';

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  report: notificationReportSchema,
  /** Blob to link to: notify signs the link itself so that it never enters orchestration history. */
  download: z.object({ blobUrl: z.string().min(1) }).optional(),
});

export interface NotifyOutput {
  delivered: TargetResult[];
  /** Targets that refused or never answered (code NOTIFY_TARGET_FAILED); the run still succeeds. */
  failed: (TargetResult & { code: 'NOTIFY_TARGET_FAILED' })[];
  /** When the link in the messages expires; the link itself is not returned. */
  linkExpiresOn?: string;
  /** Why the messages went out without a link. */
  linkError?: { code: string; message: string };
}

/**
 * Sends the report to every configured target (generic webhook, Teams, Slack). A failing target
 * never fails the run: it is retried (429/5xx/network, with backoff) and then reported in
 * `failed`. Generic webhook deliveries carry a stable delivery id for deduplication.
 */
export function createNotify(deliverOptions: DeliverOptions = {}) {
  return defineActivity({
    name: 'notify',
    schema: inputSchema,
    scope: (i) => ({ instanceId: i.instanceId, vm: i.report.vm.id }),
    run: async ({ report, download }, log): Promise<NotifyOutput> => {
      const config = getConfig();
      const targets = configuredTargets(config);
      if (targets.length === 0) {
        log.warn('notify.noTargets');
        return { delivered: [], failed: [] };
      }
      const link = download ? await linkOrReason(download.blobUrl, log) : undefined;
      const results = await sendNotifications(report, {
        ...deliverOptions,
        targets,
        download: link?.link,
      });
      const failed = results
        .filter((r) => !r.ok)
        .map((r) => ({ ...r, code: 'NOTIFY_TARGET_FAILED' as const }));
      for (const result of results) {
        const fields = {
          target: result.target,
          host: result.host,
          attempts: result.attempts,
          status: result.status,
        };
        if (result.ok) log.info('notify.delivered', fields);
        else log.warn('notify.failed', { ...fields, error: result.error });
      }
      return {
        delivered: results.filter((r) => r.ok),
        failed,
        ...(link?.link && { linkExpiresOn: link.link.expiresOn }),
        ...(link?.error && { linkError: link.error }),
      };
    },
  });
}

async function linkOrReason(
  blobUrl: string,
  log: InvocationLog,
): Promise<{ link?: ReportDownload; error?: { code: string; message: string } }> {
  try {
    const { link } = await linkToCaptureBlob(blobUrl);
    return { link: { url: link.url, expiresOn: link.expiresOn } };
  } catch (error) {
    const appError =
      error instanceof AppError ? error : new AppError('INTERNAL_ERROR', String(error), { cause: error });
    log.warn('notify.linkFailed', { code: appError.code, message: appError.message });
    return { error: { code: appError.code, message: appError.message } };
  }
}

/** The registered activity, with the default retry policy. */
export const notify = createNotify();
