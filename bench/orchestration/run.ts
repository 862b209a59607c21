/**
 * `npm run bench:orchestration`: what following a capture costs the Durable runtime. Runs
 * captureOnAlert and a plain "poll every 10 s" orchestration over the same activities, on the
 * local Durable engine (virtual clock) against the Network Watcher emulator and Azurite, for
 * captures of 5 minutes, 1 hour and 5 hours that run to their time limit. Prints, side by side,
 * the history events, activity calls, timers, episodes, events replayed, replay CPU and how long
 * after the capture ended the run noticed; writes bench/.data/orchestration-results.json.
 * Options: --durations 300,3600,18000 (seconds).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestHost, type HistoryStats } from '../../local/durable';
import { startAzurite } from '../../local/azurite';
import { startEmulator, type EmulatorAdminClient } from '../../local/emulator';
import type { CaptureReport } from '../../src/capture/report';
import type { CaptureRequest } from '../../src/capture/types';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../../src/orchestrators/contract';
import { POLLING_BASELINE, registerPollingBaseline } from './pollingBaseline';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'bench', '.data');
const APP_ENTRY = join(ROOT, 'src', 'index.ts');
const VM = 'vm-web-01';

const durationsAt = process.argv.indexOf('--durations');
const durations = (durationsAt >= 0 ? process.argv[durationsAt + 1]! : '300,3600,18000')
  .split(',')
  .map(Number);

const FLOWS = [
  { label: 'captureOnAlert', orchestrator: CAPTURE_ON_ALERT_ORCHESTRATOR },
  { label: 'poll every 10 s', orchestrator: POLLING_BASELINE },
] as const;

interface Result {
  flow: string;
  captureSeconds: number;
  stats: HistoryStats;
  /** Seconds between the end of the session (emulator) and the run noticing it. */
  noticedAfterSeconds: number;
  wallSeconds: number;
}

async function runOnce(
  admin: EmulatorAdminClient,
  flow: (typeof FLOWS)[number],
  captureSeconds: number,
  request: CaptureRequest,
  firstRun: boolean,
): Promise<Result> {
  await admin.reset();
  // A quiet VM: the emulated traffic (and so the file to verify) stays small for hours of capture.
  const vm = (await admin.info()).vms.find((v) => v.name === VM)!;
  await admin.upsertVms([{ ...vm, packetsPerSecond: 1 }]);
  const sessionEnds = new Map<string, number>();
  const host = await createTestHost({
    entry: APP_ENTRY,
    startTime: new Date((await admin.clock()).nowMs),
    onClockAdvance: async (time) => {
      await admin.setClock(time);
      for (const session of await admin.sessions()) {
        if (session.endedAt) sessionEnds.set(session.name, Date.parse(session.endedAt));
      }
    },
  });
  if (firstRun) registerPollingBaseline();
  host.registry.logSink = () => undefined;
  const started = performance.now();
  const id = await host.start(flow.orchestrator, {
    ...request,
    options: { timeLimitSeconds: captureSeconds },
  });
  const status = await host.runToCompletion(id);
  const wallSeconds = (performance.now() - started) / 1000;
  host.close();
  if (status.runtimeStatus !== 'Completed') {
    throw new Error(`${flow.label} ended ${status.runtimeStatus}: ${JSON.stringify(host.failure(id))}`);
  }
  const output = status.output as Partial<CaptureReport> & { captureName?: string; endNoticedAt?: string };
  if (output.outcome === 'failed') throw new Error(`${flow.label} failed: ${JSON.stringify(output.error)}`);
  const captureName = output.capture?.name ?? output.captureName!;
  const noticedAt = Date.parse(output.timings?.endNoticedAt ?? output.endNoticedAt!);
  return {
    flow: flow.label,
    captureSeconds,
    stats: host.stats(id),
    noticedAfterSeconds: (noticedAt - sessionEnds.get(captureName)!) / 1000,
    wallSeconds,
  };
}

function table(results: Result[]): string {
  const rows: Array<[string, (r: Result) => string]> = [
    ['history events', (r) => String(r.stats.historyEvents)],
    ['activity calls', (r) => String(r.stats.activityCalls)],
    ['timers', (r) => String(r.stats.timersCreated)],
    ['episodes (replays)', (r) => String(r.stats.replays)],
    ['events replayed', (r) => String(r.stats.replayedEvents)],
    ['replay CPU (ms)', (r) => r.stats.replayCpuMs.toFixed(0)],
    ['end noticed after (s)', (r) => r.noticedAfterSeconds.toFixed(0)],
    ['wall time (s)', (r) => r.wallSeconds.toFixed(1)],
  ];
  const header = ['', ...results.map((r) => `${length(r.captureSeconds)} ${r.flow}`)];
  const lines = [header, ...rows.map(([name, cell]) => [name, ...results.map(cell)])];
  const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines
    .map((line) =>
      line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

function length(seconds: number): string {
  return seconds >= 3600 ? `${seconds / 3600} h` : `${seconds / 60} min`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-orchestration-'));
  const azurite = await startAzurite();
  const emulator = await startEmulator({
    storageAccounts: { [azurite.accountName]: azurite.connectionString },
    clock: { mode: 'manual' },
    settings: { lroDelayMs: 0, retryAfterSeconds: 0, captureStartDelaySeconds: 0 },
    certPath: join(dir, 'emulator-cert.pem'),
  });
  try {
    const admin = emulator.admin.forNamespace('default');
    const info = await admin.info();
    const subscription = info.subscriptions[0]!.id;
    Object.assign(process.env, {
      ARM_ENDPOINT: emulator.url,
      AZURE_CREDENTIAL_MODE: 'emulator',
      EMULATOR_CA_CERT: join(dir, 'emulator-cert.pem'),
      CAPTURE_STORAGE_ACCOUNT_ID: info.storageAccountIds[0]!,
      CAPTURE_STORAGE_CONNECTION: azurite.connectionString,
      ALLOWED_SCOPES: `/subscriptions/${subscription}`,
    });
    const vmId = info.vms.find((v) => v.name === VM)!.id;
    const request: CaptureRequest = { vmId, options: {}, alert: { schema: 'directRequest' } };
    const results: Result[] = [];
    for (const seconds of durations) {
      for (const flow of FLOWS) {
        const result = await runOnce(admin, flow, seconds, request, results.length === 0);
        results.push(result);
        console.error(
          `${length(seconds)} ${flow.label}: ${result.stats.historyEvents} events, ${result.wallSeconds.toFixed(1)} s`,
        );
      }
    }
    console.log(
      `Following a capture to its time limit (CAPTURE_CHECK_INTERVAL_SECONDS=${process.env.CAPTURE_CHECK_INTERVAL_SECONDS ?? '300'}):\n`,
    );
    console.log(table(results));
    mkdirSync(DATA, { recursive: true });
    writeFileSync(join(DATA, 'orchestration-results.json'), `${JSON.stringify({ results }, null, 2)}\n`);
  } finally {
    await emulator.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
