/**
 * `npm run bench:pcap`: the capture summarizer against capinfos, tcpdump and tshark on the same
 * files (about 1M packets each; one of realistic traffic, one where nearly every packet is a new
 * flow). Prints throughput, peak RSS and ratios, and writes them to bench/.data/pcap-results.json.
 * Options: --packets N (1000000), --runs N (3), --tshark-budget SECONDS (180), --format pcap|pcapng.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { median, runSample, type Sample } from '../lib/measure';
import { generateCapture } from './generateCapture';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'bench', '.data');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? (process.argv[at + 1] as string) : fallback;
}

const packets = Number(option('packets', '1000000'));
const runs = Number(option('runs', '3'));
const tsharkBudgetSeconds = Number(option('tshark-budget', '180'));
const format = option('format', 'pcap') as 'pcap' | 'pcapng';

interface ToolResult {
  tool: string;
  runs: number;
  seconds: number;
  mbPerSecond: number;
  packetsPerSecond: number;
  maxRssMb: number | undefined;
  timedOut: boolean;
  /** The summarizer's own time, without process start-up (ours only). */
  innerSeconds?: number;
}

async function warmPageCache(file: string): Promise<void> {
  await pipeline(
    createReadStream(file, { highWaterMark: 4 << 20 }),
    new Writable({ write: (_c, _e, done) => done() }),
  );
}

async function measure(
  tool: string,
  command: string,
  args: string[],
  file: string,
  limits: { runs: number; budgetSeconds?: number; keepStdout?: boolean },
): Promise<{ result: ToolResult; samples: Sample[] }> {
  const samples: Sample[] = [];
  let spent = 0;
  for (let i = 0; i < limits.runs; i++) {
    const remaining =
      limits.budgetSeconds === undefined ? undefined : Math.max(1, limits.budgetSeconds - spent);
    const sample = await runSample(command, args, {
      timeoutSeconds: remaining,
      keepStdout: limits.keepStdout,
    });
    samples.push(sample);
    spent += sample.seconds;
    process.stdout.write('.');
    if (sample.timedOut || (limits.budgetSeconds !== undefined && spent > limits.budgetSeconds / 2)) break;
  }
  const bytes = statSync(file).size;
  const seconds = median(samples.map((s) => s.seconds));
  const rss = samples.map((s) => s.maxRssBytes).filter((v): v is number => v !== undefined);
  return {
    samples,
    result: {
      tool,
      runs: samples.length,
      seconds,
      mbPerSecond: bytes / 1e6 / seconds,
      packetsPerSecond: packets / seconds,
      maxRssMb: rss.length ? Math.max(...rss) / 1e6 : undefined,
      timedOut: samples.some((s) => s.timedOut),
    },
  };
}

async function benchFile(
  kind: 'traffic' | 'flows',
): Promise<{ file: string; sizeMb: number; results: ToolResult[] }> {
  const file = join(DATA, `${kind}-${packets}.${format}`);
  if (!existsSync(file)) {
    console.log(`generating ${file}`);
    await generateCapture({ file, format, packets, kind, flows: packets });
  }
  await warmPageCache(file);
  const sizeMb = statSync(file).size / 1e6;
  console.log(`\n${kind}: ${file} (${sizeMb.toFixed(0)} MB, ${packets} packets)`);
  const ours = await measure(
    'summarizeCapture',
    process.execPath,
    [join(DATA, 'build', 'bench', 'pcap', 'summarizeFile.js'), file],
    file,
    {
      runs,
      keepStdout: true,
    },
  );
  const inner = ours.samples.map(
    (s) => JSON.parse(s.stdout) as { milliseconds: number; maxRssBytes: number; packets: number },
  );
  if (inner.some((r) => r.packets !== packets))
    throw new Error(`summarizer counted ${inner[0]?.packets} packets, expected ${packets}`);
  ours.result.innerSeconds = median(inner.map((r) => r.milliseconds / 1000));
  ours.result.maxRssMb ??= Math.max(...inner.map((r) => r.maxRssBytes)) / 1e6;
  const results = [ours.result];
  results.push((await measure('capinfos -csu', 'capinfos', ['-csu', file], file, { runs })).result);
  results.push(
    (
      await measure('tcpdump -nr', 'tcpdump', ['-nr', file], file, {
        runs,
        budgetSeconds: tsharkBudgetSeconds,
      })
    ).result,
  );
  results.push(
    (
      await measure('tshark -z io,phs', 'tshark', ['-r', file, '-q', '-z', 'io,phs'], file, {
        runs,
        budgetSeconds: tsharkBudgetSeconds,
      })
    ).result,
  );
  return { file, sizeMb, results };
}

function report(kind: string, results: ToolResult[]): void {
  const ours = results[0] as ToolResult;
  console.log(`\n${kind}`);
  console.log('  tool               runs   seconds     MB/s    packets/s   peak RSS   ours is');
  for (const r of results) {
    const ratio =
      r === ours ? '' : `${(r.seconds / ours.seconds).toFixed(2)}x ${r.timedOut ? '(at least) ' : ''}as fast`;
    console.log(
      `  ${r.tool.padEnd(18)} ${String(r.runs).padStart(4)} ${r.seconds.toFixed(2).padStart(9)}${r.timedOut ? '+' : ' '}` +
        `${r.mbPerSecond.toFixed(0).padStart(8)} ${Math.round(r.packetsPerSecond).toString().padStart(12)}` +
        `${r.maxRssMb === undefined ? '        n/a' : `${r.maxRssMb.toFixed(0).padStart(8)} MB`}   ${ratio}`,
    );
  }
  if (ours.innerSeconds !== undefined) {
    console.log(`  (summarizer alone, without node start-up: ${ours.innerSeconds.toFixed(2)} s)`);
  }
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  // The summarizer runs as compiled JavaScript, as in the Functions host, not through a TS loader.
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(__dirname, 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
  const traffic = await benchFile('traffic');
  const flows = await benchFile('flows');
  report(`realistic traffic (${traffic.sizeMb.toFixed(0)} MB)`, traffic.results);
  report(
    `one new flow per background packet, ~${Math.round(packets * 0.88)} flows (${flows.sizeMb.toFixed(0)} MB)`,
    flows.results,
  );
  const out = join(DATA, 'pcap-results.json');
  writeFileSync(
    out,
    JSON.stringify({ packets, format, runs, traffic, flows, node: process.version }, null, 2),
  );
  console.log(`\nresults in ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
