/**
 * Everything written while a campaign runs: the dev host's log (requests, orchestration ends, the
 * app's `context.log` lines routed through the functions-core sink), `console`, and raw writes to
 * stdout and stderr (SDK loggers, stray prints). The lines are kept for the secret scan and not
 * echoed, so a campaign of thousands of requests does not flood the test output.
 */
export class LogCapture {
  readonly lines: string[] = [];
  private restore: (() => void) | undefined;

  /** The dev host's `log` option. */
  readonly sink = (line: string): void => {
    this.lines.push(line);
  };

  start(): void {
    if (this.restore) return;
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const saved = methods.map((name) => [name, console[name]] as const);
    for (const name of methods) {
      console[name] = (...args: unknown[]) =>
        this.lines.push(`[console.${name}] ${args.map(text).join(' ')}`);
    }
    const stdout = process.stdout.write;
    const stderr = process.stderr.write;
    const capture =
      (stream: string) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        this.lines.push(`[${stream}] ${text(chunk)}`);
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        callback?.();
        return true;
      };
    process.stdout.write = capture('stdout') as typeof process.stdout.write;
    process.stderr.write = capture('stderr') as typeof process.stderr.write;
    this.restore = () => {
      for (const [name, fn] of saved) console[name] = fn;
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    };
  }

  stop(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** The last lines, to explain a failure. */
  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
