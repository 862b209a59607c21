import type { Config } from '../config';

export type NotifyTargetKind = 'webhook' | 'teams' | 'slack';

export interface NotifyTarget {
  kind: NotifyTargetKind;
  /** Contains a token for Teams and Slack: never logged. */
  url: string;
  /** HMAC-SHA256 key of the generic webhook. */
  secret?: string;
}

/** The notification targets the settings configure, in a fixed order. */
export function configuredTargets(config: Config): NotifyTarget[] {
  const targets: NotifyTarget[] = [];
  if (config.NOTIFY_WEBHOOK_URL) {
    targets.push({ kind: 'webhook', url: config.NOTIFY_WEBHOOK_URL, secret: config.NOTIFY_WEBHOOK_SECRET });
  }
  if (config.NOTIFY_TEAMS_URL) targets.push({ kind: 'teams', url: config.NOTIFY_TEAMS_URL });
  if (config.NOTIFY_SLACK_URL) targets.push({ kind: 'slack', url: config.NOTIFY_SLACK_URL });
  return targets;
}
