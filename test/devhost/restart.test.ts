import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevHost, TableInstanceStore, type DevHost, type HostKeys } from '../../local/devhost';
import { eventually, TEST_APP, useDevHost } from './support';

const ROOT = join(__dirname, '..', '..');

interface Status {
  runtimeStatus: string;
  customStatus: { phase?: string } | null;
  output: { before: string; after: string } | null;
  historyEvents?: Array<{ EventType: string }>;
}

async function status(url: string, systemKey: string, id: string): Promise<Status | undefined> {
  const response = await fetch(
    `${url}/runtime/webhooks/durabletask/instances/${id}?showHistory=true&code=${systemKey}`,
  );
  return response.status === 404 ? undefined : ((await response.json()) as Status);
}

async function startProbe(url: string, functionKey: string, id: string, seconds: number): Promise<void> {
  const response = await fetch(`${url}/api/orchestrations/timedProbe/${id}`, {
    method: 'POST',
    headers: { 'x-functions-key': functionKey },
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(202);
}

const waitingOnTimer = (url: string, key: string, id: string) =>
  eventually(async () =>
    (await status(url, key, id))?.customStatus?.phase === 'waiting' ? true : undefined,
  );

const completed = (url: string, key: string, id: string) =>
  eventually(async () => {
    const current = await status(url, key, id);
    return current?.runtimeStatus === 'Completed' ? current : undefined;
  }, 20_000);

describe('dev host: a new host resumes what a dead one was running', () => {
  // 30 durable seconds at 10x: the timer fires about 3 s after it was set.
  const fixture = useDevHost({ timeScale: 10 });

  it('picks up a pending timer after the host is killed in-process and records one completion per activity', async () => {
    const first = fixture.host;
    await startProbe(first.url, first.functionKey, 'in-process', 30);
    await waitingOnTimer(first.url, first.systemKey, 'in-process');
    await first.kill();
    await expect(fetch(`${first.url}/api/items/latest`)).rejects.toThrow();

    const second = await startDevHost({ ...fixture.options, port: 0 });
    try {
      expect(second.resumed).toBe(1);
      const done = await completed(second.url, second.systemKey, 'in-process');
      expect(done.output).toEqual({ before: `before@${process.pid}`, after: `after@${process.pid}` });
      expect(done.historyEvents!.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(2);
      expect(done.historyEvents!.filter((e) => e.EventType === 'TimerFired')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('picks up the work of a host process that was SIGKILLed', async () => {
    const keys = JSON.parse(readFileSync(fixture.keysFile, 'utf8')) as HostKeys;
    // node itself with tsx's loader (not the tsx launcher), so that SIGKILL hits the host process.
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/devhost/main.ts', '--entry', TEST_APP], {
      cwd: ROOT,
      env: {
        ...process.env,
        AzureWebJobsStorage: fixture.connectionString,
        DURABLE_TASK_HUB: fixture.taskHub,
        DEVHOST_PORT: '0',
        DEVHOST_KEYS_FILE: fixture.keysFile,
        DEVHOST_TIME_SCALE: '10',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let second: DevHost | undefined;
    try {
      const url = await eventually(
        async () => /Dev host ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1],
        30_000,
      );
      await startProbe(url, keys.functionKeys.default!, 'killed-process', 30);
      // The status API answers from the task hub tables: once it shows the wait, the wait is stored.
      await waitingOnTimer(url, keys.masterKey, 'killed-process');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      second = await startDevHost({ ...fixture.options, port: 0 });
      expect(second.resumed).toBe(1);
      const done = await completed(second.url, second.systemKey, 'killed-process');
      expect(done.output).toEqual({ before: `before@${child.pid}`, after: `after@${process.pid}` });
      const store = new TableInstanceStore({
        connectionString: fixture.connectionString,
        taskHub: fixture.taskHub,
      });
      expect((await store.get('killed-process'))?.runtimeStatus).toBe('Completed');
    } finally {
      child.kill('SIGKILL');
      await second?.stop();
    }
  }, 60_000);
});
