import { InvocationContext } from '@azure/functions';

export interface CapturedContext {
  context: InvocationContext;
  /** Every log line the activity wrote, as text. */
  lines: string[];
  /** The JSON log events, parsed. */
  events(): Record<string, unknown>[];
}

/** A real InvocationContext whose log lines are kept for assertions instead of printed. */
export function invocation(functionName = 'activity'): CapturedContext {
  const lines: string[] = [];
  const context = new InvocationContext({
    invocationId: `test-${Math.random().toString(36).slice(2)}`,
    functionName,
    logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
  });
  return {
    context,
    lines,
    events: () =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
  };
}
