import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devHostExtension, type HostKeys } from '../../local/devhost';
import { describeStack, startOfflineStack, type OfflineStack } from '../../local/stack';
import { eventually, TEST_APP } from './support';

const SCALE = 30;

describe('dev host as part of the offline stack (npm start)', () => {
  let stack: OfflineStack;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'devhost-stack-'));
    stack = await startOfflineStack({
      standardPorts: false,
      localDir: dir,
      clockFactor: SCALE,
      extensions: [devHostExtension({ port: 0, entry: TEST_APP, log: (line) => lines.push(line) })],
    });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the host listens, its functions and keys; the keys file sits next to the settings', () => {
    const keys = JSON.parse(readFileSync(join(dir, 'host-keys.json'), 'utf8')) as HostKeys;
    const printed = describeStack(stack).join('\n');
    const url = /Dev host\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1];
    expect(url).toBeDefined();
    // What each line says, whatever the column widths.
    const lines = printed.split('\n').map((line) => line.trim().split(/\s+/));
    expect(lines.find((words) => words.at(-1) === 'startOrchestration')).toEqual([
      'POST',
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/orchestrations\/\{name\}\/\{id\?\}$/),
      '[function]',
      'startOrchestration',
    ]);
    const valueOf = (label: string) => lines.find((words) => words.slice(0, 2).join(' ') === label)?.[2];
    expect(valueOf('Function key')).toBe(keys.functionKeys.default);
    expect(valueOf('Master key')).toBe(keys.masterKey);
    expect(printed).not.toContain(keys.systemKeys.durabletask_extension);
    expect(printed).toContain('task hub alertcapture');
  });

  it('runs durable timers on the emulator clock: same time, same speed-up', async () => {
    const component = stack.components.find((c) => c.name === 'Dev host');
    expect(component).toBeDefined();
    const url = /Dev host\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(component!.describe()[0]!)![1]!;
    const keys = JSON.parse(readFileSync(join(dir, 'host-keys.json'), 'utf8')) as HostKeys;

    const started = Date.now();
    const response = await fetch(`${url}/api/orchestrations/timedProbe/in-step`, {
      method: 'POST',
      headers: { 'x-functions-key': keys.functionKeys.default! },
      body: JSON.stringify({ seconds: 60 }),
    });
    const { statusQueryGetUri } = (await response.json()) as { statusQueryGetUri: string };
    const done = await eventually(async () => {
      const status = (await (await fetch(statusQueryGetUri)).json()) as {
        runtimeStatus: string;
        createdTime: string;
        lastUpdatedTime: string;
      };
      return status.runtimeStatus === 'Completed' ? status : undefined;
    });
    // 60 durable seconds at 30x: about 2 real seconds, and the emulator's clock agrees.
    expect(Date.now() - started).toBeGreaterThan(1500);
    const durableElapsed = Date.parse(done.lastUpdatedTime) - Date.parse(done.createdTime);
    expect(durableElapsed).toBeGreaterThanOrEqual(59_000);
    const emulatorNow = (await stack.emulator.admin.clock()).nowMs;
    expect(Math.abs(emulatorNow - Date.parse(done.lastUpdatedTime))).toBeLessThan(SCALE * 1000);
    expect(lines.some((line) => line.includes('Orchestration in-step: Completed'))).toBe(true);
  });

  it('stops with the stack', async () => {
    const url = /Dev host\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(describeStack(stack).join('\n'))![1]!;
    await stack.stop();
    await expect(fetch(`${url}/api/items/latest`)).rejects.toThrow();
    expect(existsSync(join(dir, 'host-keys.json'))).toBe(true);
  });
});
