/**
 * Runs a command as a benchmark sample: wall time measured here, peak RSS from GNU time when it is
 * installed (`/usr/bin/time -f %M`), standard output discarded unless asked for.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  seconds: number;
  /** Peak resident set size of the command, when known. */
  maxRssBytes: number | undefined;
  stdout: string;
  timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';
const RSS_MARK = '@@maxrss_kb=';

export interface RunOptions {
  /** Kill the command after this long; the sample is then marked timedOut. */
  timeoutSeconds?: number;
  keepStdout?: boolean;
}

export function runSample(command: string, args: string[], options: RunOptions = {}): Promise<Sample> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', `${RSS_MARK}%M`, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Output not kept goes to /dev/null, as `command > /dev/null` would: no pipe to drain.
    const child = spawn(file, argv, { stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4096);
    });
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /@@maxrss_kb=(\d+)/.exec(stderr);
      if (code !== 0 && !timedOut) {
        reject(new Error(`${command} exited with ${code}: ${stderr.replace(/@@maxrss_kb=\d+/, '').trim()}`));
        return;
      }
      resolve({ seconds, maxRssBytes: rss ? Number(rss[1]) * 1024 : undefined, stdout, timedOut });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
