import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/activities/notify';
import { resetConfig } from '../../src/config';
import { DELIVERY_HEADER } from '../../src/notify/genericWebhook';
import { SIGNATURE_HEADER, verifySignature } from '../../src/notify/signature';
import { invocation } from '../activities/support/invocation';
import { useOfflineStack } from '../support/stack';
import { deadUrl, WebhookReceiver } from './support/receiver';
import { FAILURE_REPORT, SUCCESS_REPORT } from './support/reports';

const stack = useOfflineStack({ label: 'notify' });
const receiver = new WebhookReceiver();
const SECRET = 'a-long-random-shared-secret';
// Tokens in the paths stand in for the secrets real Teams/Slack URLs carry.
const PATHS = {
  webhook: '/hooks/generic-token-123',
  teams: '/workflows/teams-token-456',
  slack: '/services/T0/B0/slack-token-789',
};
const NOTIFY_SETTINGS = [
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_WEBHOOK_SECRET',
  'NOTIFY_TEAMS_URL',
  'NOTIFY_SLACK_URL',
];

function settings(values: Record<string, string | undefined>): void {
  for (const name of NOTIFY_SETTINGS) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  resetConfig();
}

function allTargets(): void {
  settings({
    NOTIFY_WEBHOOK_URL: receiver.url(PATHS.webhook),
    NOTIFY_WEBHOOK_SECRET: SECRET,
    NOTIFY_TEAMS_URL: receiver.url(PATHS.teams),
    NOTIFY_SLACK_URL: receiver.url(PATHS.slack),
  });
}

beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  settings({});
  await receiver.stop();
});
afterEach(() => receiver.reset());

describe('notify', () => {
  it('delivers to the generic webhook (signed), Teams and Slack', async () => {
    allTargets();
    const { context } = invocation();
    const result = await notify({ instanceId: 'run-1', report: FAILURE_REPORT }, context);
    expect(result).toMatchObject({ ok: true, value: { failed: [] } });
    expect(result.ok && result.value.delivered.map((d) => [d.target, d.attempts])).toEqual([
      ['webhook', 1],
      ['teams', 1],
      ['slack', 1],
    ]);

    const [webhook] = receiver.received(PATHS.webhook);
    expect(verifySignature(SECRET, webhook!.body, String(webhook!.headers[SIGNATURE_HEADER]))).toBe(true);
    expect(JSON.parse(webhook!.body)).toMatchObject({
      schemaVersion: 1,
      event: 'capture.failed',
      report: {
        capture: { stopReason: 'AgentCrashed <weird & odd>', errors: ['AgentStopped', 'StorageFailed'] },
      },
    });
    const [teams] = receiver.received(PATHS.teams);
    expect(JSON.parse(teams!.body).attachments[0].contentType).toBe(
      'application/vnd.microsoft.card.adaptive',
    );
    const [slack] = receiver.received(PATHS.slack);
    expect(JSON.parse(slack!.body).blocks[0].type).toBe('header');
  });

  it('retries 503 and 429 (honouring Retry-After) and re-signs each attempt', async () => {
    allTargets();
    receiver.answer(
      PATHS.webhook,
      { status: 503 },
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 200 },
    );
    const result = await notify({ instanceId: 'run-1', report: SUCCESS_REPORT }, invocation().context);
    expect(result.ok && result.value.delivered.find((d) => d.target === 'webhook')).toMatchObject({
      attempts: 3,
      status: 200,
    });
    const attempts = receiver.received(PATHS.webhook);
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) {
      expect(verifySignature(SECRET, attempt.body, String(attempt.headers[SIGNATURE_HEADER]))).toBe(true);
    }
    expect(new Set(attempts.map((a) => a.headers[DELIVERY_HEADER])).size).toBe(1);
  });

  it('reports a dead target and a refused message without failing the run', async () => {
    allTargets();
    process.env.NOTIFY_TEAMS_URL = await deadUrl(PATHS.teams);
    resetConfig();
    receiver.answer(PATHS.slack, { status: 400, body: 'invalid_payload' });
    const { context, lines } = invocation();
    const result = await notify({ instanceId: 'run-1', report: SUCCESS_REPORT }, context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.delivered.map((d) => d.target)).toEqual(['webhook']);
    expect(result.value.failed).toEqual([
      {
        target: 'teams',
        host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        ok: false,
        attempts: 4,
        error: 'ECONNREFUSED',
        code: 'NOTIFY_TARGET_FAILED',
      },
      {
        target: 'slack',
        host: expect.any(String),
        ok: false,
        attempts: 1,
        status: 400,
        error: 'HTTP 400: invalid_payload',
        code: 'NOTIFY_TARGET_FAILED',
      },
    ]);
    for (const token of ['generic-token-123', 'teams-token-456', 'slack-token-789']) {
      expect(lines.join('\n')).not.toContain(token);
    }
  });

  it('signs a read-only download link itself and never logs it', async () => {
    allTargets();
    const container = (await import('@azure/storage-blob')).BlobServiceClient.fromConnectionString(
      stack.azurite.connectionString,
    ).getContainerClient('network-watcher-logs');
    await container.createIfNotExists();
    const blob = container.getBlockBlobClient('notify-test/packetcapture_00_00_00_000.cap');
    await blob.upload('capture-bytes', 13);

    const { context, lines } = invocation();
    const result = await notify(
      { instanceId: 'run-1', report: SUCCESS_REPORT, download: { blobUrl: blob.url } },
      context,
    );
    expect(result).toMatchObject({ ok: true, value: { linkExpiresOn: expect.any(String), failed: [] } });
    const link = JSON.parse(receiver.received(PATHS.webhook)[0]!.body).download.url as string;
    expect(link).toContain('sig=');
    expect(new URL(link).searchParams.get('sp')).toBe('r');
    const downloaded = await fetch(link);
    expect(await downloaded.text()).toBe('capture-bytes');
    const write = await fetch(link, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'overwrite',
    });
    expect(write.status).toBe(403);
    expect(lines.join('\n')).not.toContain('sig=');
    expect(JSON.stringify(result)).not.toContain('sig=');
  });

  it('sends the messages without a link when the link cannot be made, and says why', async () => {
    allTargets();
    const result = await notify(
      {
        instanceId: 'run-1',
        report: SUCCESS_REPORT,
        download: { blobUrl: 'https://elsewhere.blob.core.windows.net/c/x.cap' },
      },
      invocation().context,
    );
    expect(result).toMatchObject({ ok: true, value: { linkError: { code: 'BLOB_LOCATION_INVALID' } } });
    expect(receiver.received(PATHS.slack)).toHaveLength(1);
  });

  it('does nothing but warn when no target is configured', async () => {
    settings({});
    const { context, events } = invocation();
    expect(await notify({ instanceId: 'run-1', report: SUCCESS_REPORT }, context)).toEqual({
      ok: true,
      value: { delivered: [], failed: [] },
    });
    expect(events().map((e) => e.event)).toContain('notify.noTargets');
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a report that does not follow the schema', async () => {
    allTargets();
    const result = await notify({ instanceId: 'run-1', report: { outcome: 'maybe' } }, invocation().context);
    expect(result).toMatchObject({ ok: false, error: { code: 'ACTIVITY_INPUT_INVALID' } });
  });
});
