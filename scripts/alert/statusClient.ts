/** A small client of the app's HTTP API for the CLI: the function key goes in a header, never in a URL it prints. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export class AppApi {
  constructor(
    private readonly functionKey: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  get(url: string): Promise<ApiAnswer> {
    return this.call(url, { method: 'GET' });
  }

  post(url: string, body?: unknown): Promise<ApiAnswer> {
    return this.call(url, {
      method: 'POST',
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  }

  private async call(url: string, init: RequestInit): Promise<ApiAnswer> {
    const headers = new Headers(init.headers);
    if (this.functionKey) headers.set('x-functions-key', this.functionKey);
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new Error(
        `${init.method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    if (text !== '') {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { text: text.slice(0, 500) };
      }
    }
    return { status: response.status, body, headers: response.headers };
  }
}
