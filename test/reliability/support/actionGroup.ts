import { setTimeout as sleep } from 'node:timers/promises';

export interface Delivered {
  /** Answers in order, one per attempt (0 = no answer: refused, reset, timed out). */
  statuses: number[];
  /** The last answer's status and body (parsed when JSON). */
  status: number;
  body: Record<string, unknown>;
  contentType: string | null;
}

export interface ActionGroupOptions {
  /** The webhook URL as the action group has it. */
  webhookUrl: string;
  /** The function key, sent as `?code=` the way an action group's Azure Function action does. */
  functionKey: string;
  /** Attempts in all; Azure Monitor's own budget is small, the campaign waits out host restarts. */
  maxAttempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

/** The statuses Azure Monitor retries a webhook call on (plus no answer at all). */
const RETRIED = new Set([0, 408, 429, 503, 504]);

/**
 * Posts alerts the way an Azure Monitor action group does: retries on 408, 429, 503, 504 and on
 * connection failures or timeouts, never on other answers. A host that is down (restarting) is
 * thus waited for, and every retry is one more duplicate delivery for the app.
 */
export class ActionGroup {
  constructor(private readonly options: ActionGroupOptions) {}

  async deliver(body: unknown): Promise<Delivered> {
    const { maxAttempts = 60, retryDelayMs = 100, timeoutMs = 10_000 } = this.options;
    const text = JSON.stringify(body);
    const statuses: number[] = [];
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let answer: Omit<Delivered, 'statuses'> | undefined;
      try {
        const url = new URL(this.options.webhookUrl);
        url.searchParams.set('code', this.options.functionKey);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        const raw = await response.text();
        answer = {
          status,
          body: parseJson(raw),
          contentType: response.headers.get('content-type'),
        };
      } catch {
        status = 0;
      }
      statuses.push(status);
      if (!RETRIED.has(status) || attempt >= maxAttempts) {
        return { statuses, ...(answer ?? { status, body: {}, contentType: null }) };
      }
      await sleep(retryDelayMs);
    }
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
