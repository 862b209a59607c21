import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type RetryPolicy } from '../../src/notify/deliver';
import { WebhookReceiver } from './support/receiver';

const receiver = new WebhookReceiver();
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 5_000, timeoutMs: 2_000 };
const message = { body: '{}', headers: () => ({ 'content-type': 'application/json' }) };

beforeAll(async () => {
  await receiver.start();
});
afterAll(() => receiver.stop());

async function run(path: string, ...answers: Parameters<WebhookReceiver['answer']>[1][]) {
  receiver.answer(path, ...answers);
  const waits: number[] = [];
  const outcome = await deliver(receiver.url(path), message, {
    policy,
    sleep: async (ms) => void waits.push(ms),
  });
  return { outcome, waits };
}

describe('deliver', () => {
  it('waits what Retry-After asks (capped), and backs off exponentially otherwise', async () => {
    const { outcome, waits } = await run(
      '/a',
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': '3600' } },
      { status: 500 },
      { status: 204 },
    );
    expect(outcome).toMatchObject({ ok: true, attempts: 4, status: 204 });
    expect(waits.slice(0, 2)).toEqual([2000, 5000]);
    expect(waits[2]).toBeGreaterThanOrEqual(800);
    expect(waits[2]).toBeLessThanOrEqual(1600);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    const { outcome, waits } = await run('/b', { status: 404, body: 'no_service' });
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status: 404, error: 'HTTP 404: no_service' });
    expect(waits).toEqual([]);
  });

  it('gives up after the last attempt and reports the last answer', async () => {
    const { outcome, waits } = await run('/c', { status: 502, body: 'bad gateway' });
    expect(outcome).toMatchObject({ ok: false, attempts: 4, status: 502, error: 'HTTP 502: bad gateway' });
    expect(waits).toHaveLength(3);
  });

  it('counts a request that times out as a failed attempt', async () => {
    // A server that accepts the connection but never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const outcome = await deliver(`http://127.0.0.1:${port}/`, message, {
      policy: { ...policy, maxAttempts: 2, timeoutMs: 100 },
      sleep: async () => undefined,
    });
    expect(outcome).toMatchObject({ ok: false, attempts: 2, error: 'timed out' });
    silent.close();
  });
});
