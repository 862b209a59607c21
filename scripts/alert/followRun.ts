import type { RunView } from '../../src/triggers/runView';
import type { AppApi } from './statusClient';

export interface FollowOptions {
  intervalMs: number;
  /** Give up following after this long (the run goes on). */
  timeoutMs: number;
  print: (line: string) => void;
}

/**
 * Polls a run's status URL until the run ends, printing a line whenever the phase or the
 * capture's state changes. Returns the final view.
 * @throws Error when the status API refuses or the time is up.
 */
export async function followRun(api: AppApi, statusUrl: string, options: FollowOptions): Promise<RunView> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const answer = await api.get(statusUrl);
    if (answer.status !== 200 && answer.status !== 202) {
      throw new Error(`the status API answered ${answer.status}: ${describeProblem(answer.body)}`);
    }
    const view = answer.body as unknown as RunView;
    const line = progressLine(view);
    if (line !== last) {
      options.print(`  ${new Date().toLocaleTimeString()}  ${line}`);
      last = line;
    }
    if (answer.status === 200) return view;
    if (Date.now() > deadline) {
      throw new Error(`the run had not ended after ${Math.round(options.timeoutMs / 1000)} s (it goes on)`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

/** One line for where the run is: phase, capture name and state, what it waits for. */
export function progressLine(view: RunView): string {
  const progress = view.progress;
  const parts = [(view.phase ?? view.runtimeStatus).padEnd(14)];
  if (progress?.captureName)
    parts.push(`capture ${progress.captureName}${progress.joined ? ' (joined)' : ''}`);
  const capture = progress?.capture;
  if (capture?.status) parts.push(capture.status);
  if (view.phase === 'capturing' && capture?.expectedEndAt)
    parts.push(`until ${capture.expectedEndAt} (run clock)`);
  if (progress?.slot?.waitingUntil) {
    parts.push(
      `${progress.slot.running}/${progress.slot.sessionLimit} sessions busy, waiting until ${progress.slot.waitingUntil}`,
    );
  }
  if (progress?.stopRequested) {
    parts.push(`stop requested${progress.stopRequested.reason ? `: ${progress.stopRequested.reason}` : ''}`);
  }
  if (view.error) parts.push(`error ${view.error.code}: ${view.error.message}`);
  return parts.join('  ').trimEnd();
}

export function describeProblem(body: Record<string, unknown>): string {
  const code = typeof body.code === 'string' ? body.code : undefined;
  const detail = typeof body.detail === 'string' ? body.detail : JSON.stringify(body).slice(0, 300);
  return code ? `${code}: ${detail}` : detail;
}
