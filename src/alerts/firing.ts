import type { AlertOrigin } from '../capture/types';

/**
 * One firing of an alert: its id (else its rule) and when it fired. Deliveries of the same firing
 * (Azure Monitor's retries, duplicate action groups) share it; a new firing after a resolve does
 * not. See docs/glossary.md.
 */
export function firingKey(alert: Partial<AlertOrigin> | undefined): string {
  return `${alert?.alertId ?? alert?.ruleName ?? ''}|${alert?.firedAt ?? ''}`;
}

export function isSameFiring(
  a: Partial<AlertOrigin> | undefined,
  b: Partial<AlertOrigin> | undefined,
): boolean {
  return firingKey(a) === firingKey(b);
}
