/**
 * `npm run bench:webhook`: the alert webhook under the load Azure Monitor can produce. The app
 * (dev host) and the emulated Azure (emulator, Azurite) run in processes of their own; this one
 * posts real alerts over HTTP, each for a VM of the emulator, each starting a real run:
 *   - the first alert the app sees (its handler modules load then), then a warm-up;
 *   - 200 alerts for distinct VMs at Azure Monitor's ceiling of 1500 webhook calls a minute
 *     per subscription (25/s), then at 100/s;
 *   - 200 alerts for distinct VMs all at once: accepted alerts per second, p50/p99 latency;
 *   - 500 identical deliveries of one alert at once: latency, and exactly one orchestration.
 * Goal: p99 <= 50 ms. Writes bench/.data/webhook-results.json.
 * Options: --vms N (200 per phase), --duplicates N (500).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readAlertPayload } from '../../scripts/alert/localDefaults';
import { retargetAlert } from '../../scripts/alert/retarget';
import { burst, deliver, figures, paced, type LoadFigures } from './load';
import type { ServedHost, ServedStack } from './serve';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'bench', '.data');
const GOAL_P99_MS = 50;
const WARM_UP_ALERTS = 50;
/** Azure Monitor: at most 1500 webhook calls a minute per subscription. */
const AZURE_MONITOR_CEILING_PER_SECOND = 25;
const SETTLE_MS = 5_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a whole number above 0`);
  return value;
}

const perPhase = option('vms', 200);
const duplicates = option('duplicates', 500);

/** Starts `serve.ts <role> <argument>` and returns the JSON line it prints once ready. */
function serve<T>(role: string, argument: string): Promise<{ served: T; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, 'serve.ts'), role, argument],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`serve.ts ${role} exited with ${code} before it was ready`)),
    );
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ served: JSON.parse(line) as T, stop }),
    );
  });
}

/** How many times the instance was started: ExecutionStarted events in its history (built-in API). */
async function executionsOf(app: ServedHost, instanceId: string): Promise<number> {
  const url = `${app.url}/runtime/webhooks/durabletask/instances/${instanceId}?showHistory=true&code=${encodeURIComponent(app.systemKey)}`;
  const status = (await (await fetch(url)).json()) as { historyEvents?: Array<{ EventType: string }> };
  return (status.historyEvents ?? []).filter((event) => event.EventType === 'ExecutionStarted').length;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

function printRow(name: string, f: LoadFigures): void {
  console.log(
    `  ${name.padEnd(30)} ${String(f.alerts).padStart(6)} ${String(f.accepted).padStart(9)}` +
      ` ${f.acceptedPerSecond.toFixed(0).padStart(11)} ${f.p50Ms.toFixed(1).padStart(8)}` +
      ` ${f.p99Ms.toFixed(1).padStart(8)} ${f.maxMs.toFixed(1).padStart(8)}`,
  );
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const stack = await serve<ServedStack>('stack', String(WARM_UP_ALERTS + 3 * perPhase + 2));
  const settingsFile = join(DATA, 'webhook-app-settings.json');
  writeFileSync(settingsFile, JSON.stringify(stack.served.appSettings), { mode: 0o600 });
  const host = await serve<ServedHost>('host', settingsFile).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  const app = host.served;
  try {
    const storageAccountId = stack.served.appSettings.CAPTURE_STORAGE_ACCOUNT_ID!;
    const sample = readAlertPayload('network-out-fired').payload;
    const alertBody = (vmId: string) => JSON.stringify(retargetAlert(sample, { vmId, storageAccountId }));
    const vms = stack.served.vmIds.map(alertBody);
    const take = (count: number) => vms.splice(0, count);

    const first = await deliver(app, take(1)[0]!);
    await paced(app, take(WARM_UP_ALERTS), AZURE_MONITOR_CEILING_PER_SECOND);
    await settle();
    const atCeiling = figures(await paced(app, take(perPhase), AZURE_MONITOR_CEILING_PER_SECOND));
    await settle();
    const atHundred = figures(await paced(app, take(perPhase), 100));
    await settle();
    const distinct = await burst(app, take(perPhase));
    await settle();
    const duplicate = await burst(
      app,
      Array.from({ length: duplicates }, () => vms[0]!),
    );

    const duplicateIds = [...new Set(duplicate.deliveries.map((d) => d.id))];
    const started = duplicate.deliveries.filter((d) => d.joined === false).length;
    const executions = duplicateIds.length === 1 ? await executionsOf(app, duplicateIds[0]!) : NaN;
    const results = {
      node: process.version,
      firstAlertMs: first.ms,
      paced25: atCeiling,
      paced100: atHundred,
      distinct: { ...figures(distinct), runs: new Set(distinct.deliveries.map((d) => d.id)).size },
      duplicates: { ...figures(duplicate), instanceIds: duplicateIds.length, started, executions },
    };

    console.log(
      'alert webhook: dev host over HTTP on 127.0.0.1, app and emulated Azure in processes of their own',
    );
    console.log(
      `  first alert (its handler modules load): ${first.ms.toFixed(1)} ms, status ${first.status}`,
    );
    console.log('  load                           alerts  accepted  accepted/s   p50 ms   p99 ms   max ms');
    printRow(`${perPhase} VMs at 25/s (AM ceiling)`, results.paced25);
    printRow(`${perPhase} VMs at 100/s`, results.paced100);
    printRow(`${perPhase} VMs all at once`, results.distinct);
    printRow(`${duplicates} identical, all at once`, results.duplicates);
    const exactlyOne = duplicateIds.length === 1 && started === 1 && executions === 1;
    console.log(
      `  distinct VMs at once: ${results.distinct.runs} runs; identical deliveries: ${duplicateIds.length}` +
        ` instance id(s), ${started} started, ${executions} execution(s): ${exactlyOne ? 'exactly one' : 'NOT ONE'}`,
    );
    for (const [name, f] of Object.entries({
      '25/s': results.paced25,
      '100/s': results.paced100,
      'distinct burst': results.distinct,
      'identical burst': results.duplicates,
    })) {
      console.log(
        `  goal p99 <= ${GOAL_P99_MS} ms, ${name}: ${f.p99Ms <= GOAL_P99_MS ? 'met' : 'missed'} (${f.p99Ms.toFixed(1)} ms)`,
      );
    }
    const out = join(DATA, 'webhook-results.json');
    writeFileSync(out, JSON.stringify(results, null, 2));
    console.log(`results in ${out}`);
    const allAccepted = [atCeiling, atHundred, results.distinct, results.duplicates].every(
      (f) => f.accepted === f.alerts,
    );
    if (!exactlyOne || !allAccepted || results.distinct.runs !== perPhase) process.exitCode = 1;
  } finally {
    await host.stop();
    await stack.stop();
    rmSync(settingsFile, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
