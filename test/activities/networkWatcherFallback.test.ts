import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackCertificate } from '../../local/emulator/certificate';
import { findNetworkWatcher } from '../../src/azure/networkWatcher';
import { resetConfig } from '../../src/config';
import { AppError } from '../../src/errors/AppError';
import { useOfflineStack } from '../support/stack';

// A least-privilege role cannot list watchers at subscription scope (403), so the app falls back
// to reading the region's default watcher. This ARM front answers the list with 403 and the
// fallback read with whatever the test sets; the real ARM client calls it over HTTPS.
const stack = useOfflineStack({ label: 'watcher-fallback' });
const SUB = '00000000-0000-0000-0000-0000000000aa';
let server: Server;
let dir: string;
let fallbackAnswer: { status: number; body: unknown; headers?: Record<string, string> };
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  const tls = await createLoopbackCertificate();
  dir = mkdtempSync(join(tmpdir(), 'watcher-fallback-'));
  writeFileSync(join(dir, 'ca.pem'), tls.certPem);
  server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    const answer = path.toLowerCase().includes('/resourcegroups/networkwatcherrg/')
      ? fallbackAnswer
      : {
          status: 403,
          body: { error: { code: 'AuthorizationFailed', message: 'no list permission at this scope' } },
        };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  for (const [name, value] of Object.entries({
    ARM_ENDPOINT: `https://127.0.0.1:${port}`,
    EMULATOR_CA_CERT: join(dir, 'ca.pem'),
  })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  resetConfig();
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) process.env[name] = value ?? stack.env[name];
  resetConfig();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const find = () =>
  findNetworkWatcher({ location: 'westeurope', subscriptionId: SUB }).catch((error: unknown) => error);

describe('the Network Watcher fallback when listing is forbidden', () => {
  it("uses the region's default watcher when it can be read", async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`;
    fallbackAnswer = { status: 200, body: { id, name: 'NetworkWatcher_westeurope', location: 'westeurope' } };
    expect(await find()).toMatchObject({
      id,
      name: 'NetworkWatcher_westeurope',
      resourceGroup: 'NetworkWatcherRG',
    });
  });

  it('reports the permanent ARM_FORBIDDEN when the default watcher cannot be read either', async () => {
    fallbackAnswer = { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'denied' } } };
    expect(await find()).toMatchObject({ code: 'ARM_FORBIDDEN', retriable: false });
  });

  it("passes a throttled fallback read on as retriable, not as the list's permanent 403", async () => {
    fallbackAnswer = {
      status: 429,
      headers: { 'retry-after': '120' },
      body: { error: { code: 'TooManyRequests', message: 'throttled' } },
    };
    const error = await find();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'ARM_THROTTLED', retriable: true });
  });

  it('passes a failing fallback read on as retriable ARM_UNAVAILABLE', async () => {
    fallbackAnswer = { status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } };
    expect(await find()).toMatchObject({ code: 'ARM_UNAVAILABLE', retriable: true });
  }, 30_000);
});
