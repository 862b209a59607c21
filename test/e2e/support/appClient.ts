import type { DevHost } from '../../../local/devhost';
import type { RunView } from '../../../src/triggers/runView';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface SendOptions {
  /** Default: the host's function key; `null` sends none. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** The app's HTTP API as a test calls it: real requests to the dev host, the key in a header. */
export class AppClient {
  constructor(private readonly host: () => DevHost) {}

  postAlert(body: unknown, options: SendOptions = {}): Promise<Answer> {
    return this.send('POST', '/api/alerts', JSON.stringify(body), {
      ...options,
      headers: { 'content-type': 'application/json', ...options.headers },
    });
  }

  /** Posts a body exactly as given (malformed or oversized ones). */
  postRaw(body: string | Uint8Array, options: SendOptions = {}): Promise<Answer> {
    return this.send('POST', '/api/alerts', body, options);
  }

  run(instanceId: string, options: SendOptions = {}): Promise<Answer<RunView>> {
    return this.send<RunView>('GET', `/api/captures/${instanceId}`, undefined, options);
  }

  list(query: Record<string, string> = {}): Promise<Answer<{ runs: RunView[]; truncated: boolean }>> {
    const search = new URLSearchParams(query).toString();
    return this.send<{ runs: RunView[]; truncated: boolean }>(
      'GET',
      `/api/captures${search ? `?${search}` : ''}`,
    );
  }

  stop(instanceId: string, reason?: string): Promise<Answer> {
    const query = reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`;
    return this.send('POST', `/api/captures/${instanceId}/stop${query}`);
  }

  downloadLink(instanceId: string, file?: 'capture' | 'summary'): Promise<Answer> {
    return this.send('GET', `/api/captures/${instanceId}/download${file ? `?file=${file}` : ''}`);
  }

  /** Polls the status API until the run has ended (200) and returns its view. */
  async waitForEnd(instanceId: string, timeoutMs = 30_000): Promise<RunView> {
    return this.waitFor(instanceId, (answer) => answer.status === 200, timeoutMs);
  }

  /**
   * Waits until the run's capture is running, then lets it record for `recordMs` more real
   * milliseconds: a capture stopped at once may hold no packet at all (and the run then fails,
   * rightly, with BLOB_EMPTY).
   */
  async waitUntilCapturing(instanceId: string, recordMs = 500): Promise<RunView> {
    const view = await this.waitFor(
      instanceId,
      (a) => a.body.phase === 'capturing' && a.body.progress?.capture?.status === 'Running',
    );
    await new Promise((resolve) => setTimeout(resolve, recordMs));
    return view;
  }

  /** Polls the status API until `done` holds for an answer, and returns that view. */
  async waitFor(
    instanceId: string,
    done: (answer: Answer<RunView>) => boolean,
    timeoutMs = 30_000,
  ): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    let last: Answer<RunView> | undefined;
    while (Date.now() < deadline) {
      last = await this.run(instanceId);
      if (last.status !== 200 && last.status !== 202) {
        throw new Error(`the status API answered ${last.status}: ${last.text}`);
      }
      if (done(last)) return last.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${instanceId} did not get there within ${timeoutMs} ms; last: ${last?.text}`);
  }

  async send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: string | Uint8Array,
    options: SendOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.host().functionKey : options.key;
    if (key !== null) headers['x-functions-key'] = key;
    const response = await fetch(`${this.host().url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = {};
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }
}
