/**
 * Summarises a capture file: `npm run summarize -- FILE [--json] [--top N]`. Prints a readable
 * report, or with --json the same CaptureSummary the app stores next to the capture.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { formatSummary } from './formatSummary';
import { summarizeCapture } from './summarizeCapture';

const USAGE = 'usage: npm run summarize -- FILE [--json] [--top N]';

interface CliArguments {
  file: string;
  json: boolean;
  topN: number;
}

export function parseArguments(args: string[]): CliArguments | string {
  let file: string | undefined;
  let json = false;
  let topN = 10;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--top') {
      topN = Number(args[++i]);
      if (!Number.isInteger(topN) || topN < 1 || topN > 1000)
        return `--top needs a whole number from 1 to 1000\n${USAGE}`;
    } else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else if (file === undefined) file = arg;
    else return `only one file at a time\n${USAGE}`;
  }
  return file === undefined ? USAGE : { file, json, topN };
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(parsed);
    return 2;
  }
  const stream = createReadStream(parsed.file, { highWaterMark: 1024 * 1024 });
  let summary;
  try {
    summary = await summarizeCapture(stream, { topN: parsed.topN });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    console.error(`cannot read ${parsed.file}: ${cause instanceof Error ? cause.message : String(error)}`);
    return 1;
  }
  console.log(parsed.json ? JSON.stringify(summary, null, 2) : formatSummary(summary, basename(parsed.file)));
  return summary.file.complete ? 0 : 3;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
