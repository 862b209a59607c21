import { isSameAlertEpisode } from '../alertEpisode';
import type { AlertOrigin } from '../../capture/types';
import { now, type Run, type Step } from './run';

/**
 * Takes the AlertFired event that woke the run: true when it is a new firing (not the run's own
 * alert, nor one already noted), which the run must then check the capture for.
 */
export function noteAlert(run: Run): boolean {
  const request = run.alerts.take();
  if (!request || isKnown(run, request.alert)) return false;
  run.unconfirmedAlerts.push(request);
  return true;
}

/**
 * What a successful check says about the alerts that came since the previous one: a capture
 * still active covers them; one that has ended does not, so the latest becomes the follow-up.
 */
export function confirmAlerts(run: Run, seen: 'ended' | 'active' | 'missed'): void {
  if (seen === 'missed' || run.unconfirmedAlerts.length === 0) return;
  const alerts = run.unconfirmedAlerts;
  run.unconfirmedAlerts = [];
  if (seen === 'active') {
    run.joinedAlerts.push(...alerts.map((r) => r.alert));
    return;
  }
  run.followUp = alerts.at(-1);
  run.joinedAlerts.push(...alerts.slice(0, -1).map((r) => r.alert));
}

/**
 * At the end of a run that saw its capture end: a new firing that came after its last look at
 * the capture gets a follow-up capture. A run that failed before (no capture, or one never seen
 * to end) does not look: a firing then joined this run's outcome, and a retry of it starts anew.
 */
export function* collectLateAlerts(run: Run): Step<void> {
  // Noted while capturing and never confirmed (the run failed first): they joined this run.
  run.joinedAlerts.push(...run.unconfirmedAlerts.map((r) => r.alert));
  run.unconfirmedAlerts = [];
  if (!run.capture || !run.endNoticedAt) return;
  for (const request of yield* run.alerts.drain(now(run))) {
    if (isKnown(run, request.alert)) continue;
    if (run.followUp) run.joinedAlerts.push(run.followUp.alert);
    run.followUp = request;
  }
}

function isKnown(run: Run, alert: AlertOrigin): boolean {
  return [
    run.request.alert,
    run.followUp?.alert,
    ...run.joinedAlerts,
    ...run.unconfirmedAlerts.map((r) => r.alert),
  ].some((known) => known && isSameAlertEpisode(known, alert));
}
