/**
 * `npm run bench:coldstart`: how long the app entry takes to load (every function registered) in
 * a fresh Node process, against a bare app with one orchestration and one HTTP trigger. Both run
 * as compiled JavaScript with `@azure/functions-core` supplied as the Functions worker does.
 * Samples alternate between the two so that machine noise hits both alike. Goal: the app's median
 * load time at most 1.3 times the bare app's. The appStart hooks, which the worker runs right after
 * the entry (the app checks its settings there), are timed apart and shown beside it, with the
 * settings of local.settings.example.json. Writes bench/.data/coldstart-results.json.
 * Options: --runs N (25 per app).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../lib/measure';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'bench', '.data');
const BUILD = join(DATA, 'coldstart');
const GOAL_RATIO = 1.3;
const WARM_UP_RUNS = 2;

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 25;

interface LoadSample {
  /** Time of the entry's `require`, inside the process. */
  loadMs: number;
  /** Time of the appStart hooks, run after the entry as the worker does. */
  appStartMs: number;
  /** Modules the hooks loaded. */
  appStartModules: number;
  /** Time of the modules the first alert loads (the app only). */
  deferredMs: number;
  /** Process start (Node bootstrap included) to the end of the load. */
  sinceProcessStartMs: number;
  functions: number;
  modules: number;
}

const ENTRIES = {
  app: join(BUILD, 'src', 'index.js'),
  bare: join(BUILD, 'bench', 'coldstart', 'bareApp.js'),
} as const;
type EntryName = keyof typeof ENTRIES;

/** The modules the alert webhook's handler loads on its first request. */
const FIRST_ALERT_MODULES: Record<EntryName, string[]> = {
  app: [join(BUILD, 'src', 'triggers', 'alerts.js')],
  bare: [],
};

/** Valid settings for the app's settings check (both entries get them, the bare app ignores them). */
const SETTINGS = (
  JSON.parse(readFileSync(join(ROOT, 'local.settings.example.json'), 'utf8')) as {
    Values: Record<string, string>;
  }
).Values;

function sample(name: EntryName): Promise<LoadSample> {
  const loader = join(BUILD, 'bench', 'coldstart', 'loadEntry.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loader, ENTRIES[name], ...FIRST_ALERT_MODULES[name]], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...SETTINGS },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`loading ${ENTRIES[name]} exited with ${code}`));
      else resolve(JSON.parse(out) as LoadSample);
    });
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

function describe(samples: LoadSample[]) {
  const load = samples.map((s) => s.loadMs);
  const total = samples.map((s) => s.sinceProcessStartMs);
  return {
    runs: samples.length,
    functions: samples[0]?.functions ?? 0,
    modules: samples[0]?.modules ?? 0,
    loadMedianMs: median(load),
    loadP90Ms: percentile(load, 90),
    appStartModules: samples[0]?.appStartModules ?? 0,
    appStartMedianMs: median(samples.map((s) => s.appStartMs)),
    loadWithAppStartMedianMs: median(samples.map((s) => s.loadMs + s.appStartMs)),
    processMedianMs: median(total),
    deferredMedianMs: median(samples.map((s) => s.deferredMs)),
  };
}

async function main(): Promise<void> {
  if (!Number.isInteger(runs) || runs < 3)
    throw new RangeError('--runs must be a whole number of at least 3');
  mkdirSync(DATA, { recursive: true });
  rmSync(BUILD, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(__dirname, 'tsconfig.json')],
    { stdio: 'inherit' },
  );
  const samples: Record<EntryName, LoadSample[]> = { app: [], bare: [] };
  for (let i = 0; i < WARM_UP_RUNS + runs; i++) {
    for (const name of Object.keys(ENTRIES) as EntryName[]) {
      const result = await sample(name);
      if (i >= WARM_UP_RUNS) samples[name].push(result);
    }
  }
  const app = describe(samples.app);
  const bare = describe(samples.bare);
  const ratio = app.loadMedianMs / bare.loadMedianMs;
  console.log(
    `cold start: load of the app entry in a fresh Node ${process.version} process, ${runs} runs each`,
  );
  console.log('  entry       functions  modules  median load  p90 load  median since process start');
  for (const [name, r] of [
    ['app', app],
    ['bare app', bare],
  ] as const) {
    console.log(
      `  ${name.padEnd(10)} ${String(r.functions).padStart(10)} ${String(r.modules).padStart(8)}` +
        `  ${r.loadMedianMs.toFixed(1).padStart(8)} ms ${r.loadP90Ms.toFixed(1).padStart(6)} ms` +
        `  ${r.processMedianMs.toFixed(1).padStart(10)} ms`,
    );
  }
  console.log(
    `  then the worker runs the appStart hooks: the app's settings check loads ${app.appStartModules} modules (zod, the settings) in ${app.appStartMedianMs.toFixed(1)} ms`,
  );
  console.log(
    `  the first alert then loads its handler's modules (alert schemas, intake): ${app.deferredMedianMs.toFixed(1)} ms`,
  );
  const verdict = ratio <= GOAL_RATIO ? 'goal met' : 'GOAL MISSED';
  console.log(`  ratio app / bare (median load): ${ratio.toFixed(2)}x (goal <= ${GOAL_RATIO}x: ${verdict})`);
  const withHooks = app.loadWithAppStartMedianMs / bare.loadWithAppStartMedianMs;
  console.log(`  ratio app / bare, entry and appStart hooks together (median): ${withHooks.toFixed(2)}x`);
  const out = join(DATA, 'coldstart-results.json');
  writeFileSync(
    out,
    JSON.stringify(
      { node: process.version, runs, app, bare, ratio, ratioWithAppStart: withHooks, goalRatio: GOAL_RATIO },
      null,
      2,
    ),
  );
  console.log(`results in ${out}`);
  if (ratio > GOAL_RATIO) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
