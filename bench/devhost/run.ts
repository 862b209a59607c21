/**
 * `npm run bench:devhost`: what the dev host costs. Against a fresh Azurite (in memory): host start,
 * HTTP trigger latency (sequential) and throughput (concurrent), orchestration throughput (chains of
 * activities started at once, every history event written to the task hub tables), and how long a
 * new host takes to resume running instances. Writes bench/.data/devhost-results.json.
 * Options: --requests N (500), --chains N (100), --steps N (5), --sleepers N (200).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from '../../local/azurite';
import { startDevHost, type DevHost, type StartDevHostOptions } from '../../local/devhost';

const ROOT = join(__dirname, '..', '..');
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    chains: { type: 'string', default: '100' },
    steps: { type: 'string', default: '5' },
    sleepers: { type: 'string', default: '200' },
  },
});
const REQUESTS = Number(values.requests);
const CHAINS = Number(values.chains);
const STEPS = Number(values.steps);
const SLEEPERS = Number(values.sleepers);
const CONCURRENCY = 16;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function httpLatency(host: DevHost) {
  const url = `${host.url}/api/ping`;
  for (let i = 0; i < 20; i++) await (await fetch(url)).text();
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const [, ms] = await timed(async () => (await fetch(url)).text());
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const [, concurrentMs] = await timed(() =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < REQUESTS / CONCURRENCY; i++) await (await fetch(url)).text();
      }),
    ),
  );
  return {
    p50Ms: round(percentile(samples, 50), 2),
    p95Ms: round(percentile(samples, 95), 2),
    requestsPerSecond: round(REQUESTS / (concurrentMs / 1000), 0),
  };
}

async function startAll(host: DevHost, name: string, input: unknown, count: number, prefix: string) {
  const base = `${host.url}/runtime/webhooks/durabletask/orchestrators/${name}`;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await fetch(`${base}/${prefix}-${i}?code=${host.systemKey}`, {
        method: 'POST',
        body: JSON.stringify(input),
      });
      if (response.status !== 202) throw new Error(`start answered ${response.status}`);
    }),
  );
}

async function chainThroughput(host: DevHost) {
  const [, ms] = await timed(async () => {
    await startAll(host, 'chain', { steps: STEPS }, CHAINS, 'chain');
    for (;;) {
      const running = host.engine.listInstances().filter((s) => s.instanceId.startsWith('chain-'));
      if (running.length === CHAINS && running.every((s) => s.runtimeStatus === 'Completed')) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  const episodes = CHAINS * (STEPS + 1);
  return {
    orchestrations: CHAINS,
    activitiesEach: STEPS,
    seconds: round(ms / 1000, 2),
    orchestrationsPerSecond: round(CHAINS / (ms / 1000)),
    episodesPerSecond: round(episodes / (ms / 1000)),
  };
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const dir = mkdtempSync(join(tmpdir(), 'bench-devhost-'));
  const options: StartDevHostOptions = {
    entry: join(__dirname, 'benchApp.ts'),
    port: 0,
    env: { DURABLE_TASK_HUB: 'benchhub', AzureWebJobsStorage: azurite.connectionString },
    keysFile: join(dir, 'host-keys.json'),
  };
  try {
    const [host, startMs] = await timed(() => startDevHost(options));
    const http = await httpLatency(host);
    const chains = await chainThroughput(host);
    await startAll(host, 'sleeper', null, SLEEPERS, 'sleeper');
    await host.stop();
    const [again, resumeStartMs] = await timed(() => startDevHost(options));
    const resumed = again.resumed;
    await again.stop();

    const results = {
      machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
      hostStartMs: round(startMs, 0),
      http,
      chains,
      resume: { instances: resumed, hostStartMs: round(resumeStartMs, 0) },
    };
    console.log(`dev host start                ${results.hostStartMs} ms (app load, tables, listeners)`);
    console.log(
      `HTTP trigger (anonymous)      p50 ${http.p50Ms} ms, p95 ${http.p95Ms} ms; ${http.requestsPerSecond} req/s with ${CONCURRENCY} clients`,
    );
    console.log(
      `orchestrations                ${CHAINS} chains of ${STEPS} activities in ${chains.seconds} s: ` +
        `${chains.orchestrationsPerSecond}/s, ${chains.episodesPerSecond} episodes/s`,
    );
    console.log(
      `restart with running work     ${resumed} instances resumed, host up in ${resumeStartMs.toFixed(0)} ms`,
    );
    mkdirSync(join(ROOT, 'bench', '.data'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', '.data', 'devhost-results.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } finally {
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
