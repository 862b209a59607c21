import type { AlertOrigin } from '../capture/types';

/**
 * One firing of an alert: its id (else its rule) and when it fired. Deliveries of the same
 * firing (Azure Monitor's retries, duplicate action groups) share it; a new firing after a
 * resolve does not.
 */
export function alertEpisodeKey(alert: Partial<AlertOrigin> | undefined): string {
  return `${alert?.alertId ?? alert?.ruleName ?? ''}|${alert?.firedAt ?? ''}`;
}

export function isSameAlertEpisode(
  a: Partial<AlertOrigin> | undefined,
  b: Partial<AlertOrigin> | undefined,
): boolean {
  return alertEpisodeKey(a) === alertEpisodeKey(b);
}
