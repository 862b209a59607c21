import { describe, expect, it } from 'vitest';
import { digestReport, formatBytes, formatDuration } from '../../src/notify/digest';
import { DELIVERY_HEADER, EVENT_HEADER, genericWebhookMessage } from '../../src/notify/genericWebhook';
import { notificationReportSchema } from '../../src/notify/report';
import { deliveryIdOf } from '../../src/notify/sendNotifications';
import { SIGNATURE_HEADER, signBody, verifySignature } from '../../src/notify/signature';
import { slackMessage } from '../../src/notify/slackBlocks';
import { teamsMessage } from '../../src/notify/teamsCard';
import { FAILURE_REPORT, SUCCESS_REPORT } from './support/reports';

const success = notificationReportSchema.parse(SUCCESS_REPORT);
const failure = notificationReportSchema.parse(FAILURE_REPORT);
const download = {
  url: 'https://stcaptures.blob.core.windows.net/c/x.cap?sv=1&sig=abc',
  expiresOn: '2025-01-31T18:00:00.000Z',
};

describe('generic webhook message (schema version 1)', () => {
  it('carries the report, the link, a stable delivery id and a verifiable signature', () => {
    const message = genericWebhookMessage({
      report: failure,
      download,
      deliveryId: deliveryIdOf(failure),
      sentAt: new Date('2025-01-31T17:00:00Z'),
      secret: 'a-long-random-shared-secret',
    });
    const payload = JSON.parse(message.body) as Record<string, unknown>;
    expect(payload).toEqual({
      schema: 'alert-capture.capture-report',
      schemaVersion: 1,
      event: 'capture.failed',
      deliveryId: deliveryIdOf(failure),
      sentAt: '2025-01-31T17:00:00.000Z',
      report: failure,
      download,
    });
    const headers = message.headers(1_738_342_800);
    expect(headers[EVENT_HEADER]).toBe('capture.failed');
    expect(headers[DELIVERY_HEADER]).toMatch(/^[0-9a-f]{32}$/);
    expect(
      verifySignature('a-long-random-shared-secret', message.body, headers[SIGNATURE_HEADER]!, {
        nowSeconds: 1_738_342_800,
      }),
    ).toBe(true);
  });

  it('sends no signature without a secret', () => {
    const message = genericWebhookMessage({ report: success, deliveryId: 'd', sentAt: new Date() });
    expect(message.headers(0)[SIGNATURE_HEADER]).toBeUndefined();
    expect(JSON.parse(message.body)).toMatchObject({ event: 'capture.succeeded', download: null });
  });

  it('gives the same delivery id to the same run and outcome only', () => {
    expect(deliveryIdOf(success)).toBe(deliveryIdOf({ ...success }));
    expect(deliveryIdOf(success)).not.toBe(deliveryIdOf(failure));
  });
});

describe('verifySignature', () => {
  const body = '{"a":1}';
  const header = signBody('secret-secret-secret', body, 1000);

  it('accepts the exact body within the window', () => {
    expect(verifySignature('secret-secret-secret', body, header, { nowSeconds: 1200 })).toBe(true);
  });

  it('rejects another body, another secret, an old timestamp and garbage', () => {
    expect(verifySignature('secret-secret-secret', '{"a":2}', header, { nowSeconds: 1000 })).toBe(false);
    expect(verifySignature('other-secret-value', body, header, { nowSeconds: 1000 })).toBe(false);
    expect(verifySignature('secret-secret-secret', body, header, { nowSeconds: 1000 + 301 })).toBe(false);
    expect(verifySignature('secret-secret-secret', body, 'v1=zz', { nowSeconds: 1000 })).toBe(false);
  });
});

describe('Teams Adaptive Card', () => {
  it('wraps a 1.4 card in a message with the stop reason and Network Watcher errors verbatim', () => {
    const message = JSON.parse(teamsMessage(digestReport(failure, download)).body);
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const facts = attachment.content.body.find((b: { type: string }) => b.type === 'FactSet').facts;
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'Stop reason', value: 'AgentCrashed <weird & odd>' },
        { title: 'Network Watcher errors', value: 'AgentStopped, StorageFailed' },
        { title: 'Error', value: expect.stringContaining('CAPTURE_FAILED') },
      ]),
    );
    expect(attachment.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Download capture', url: download.url },
    ]);
  });

  it('shows the summary: headline, top talkers, conversations and TCP signs', () => {
    const card = JSON.parse(teamsMessage(digestReport(success)).body).attachments[0].content;
    const texts = card.body
      .filter((b: { type: string }) => b.type === 'TextBlock')
      .map((b: { text: string }) => b.text);
    expect(texts).toContain('2,000 packets, 1.1 MiB, over 5 min, stopped: TimeExceeded');
    expect(texts).toContain('10.1.0.4: 1.1 MiB (sent 1.0 MiB, received 97.7 KiB)');
    expect(texts).toContain('TCP 10.1.0.4:51515 ↔ 203.0.113.7:443: 976.6 KiB, 1,400 packets');
    expect(texts).toContain('75% of SYNs unanswered');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Run status', url: SUCCESS_REPORT.statusUrl },
    ]);
  });
});

describe('Slack blocks', () => {
  it('escapes mrkdwn and keeps stop reason and errors verbatim otherwise', () => {
    const message = JSON.parse(slackMessage(digestReport(failure, download)).body);
    expect(message.text).toContain('Packet capture failed on vm-web-01');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Packet capture failed on vm-web-01', emoji: true },
    });
    const fields = message.blocks[2].fields.map((f: { text: string }) => f.text);
    expect(fields).toContain('*Stop reason*\nAgentCrashed &lt;weird &amp; odd&gt;');
    expect(fields).toContain('*Network Watcher errors*\nAgentStopped, StorageFailed');
    const actions = message.blocks.find((b: { type: string }) => b.type === 'actions');
    expect(actions.elements[0]).toMatchObject({ type: 'button', url: download.url });
  });

  it("stays within Slack's block limits for long values", () => {
    const long = notificationReportSchema.parse({
      ...FAILURE_REPORT,
      error: { code: 'X', message: 'y'.repeat(5000) },
    });
    const message = JSON.parse(slackMessage(digestReport(long)).body);
    for (const block of message.blocks) {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
  });
});

describe('formatting', () => {
  it('formats sizes and durations for people', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '512 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
    expect([formatDuration(12.34), formatDuration(300), formatDuration(3725)]).toEqual([
      '12.3 s',
      '5 min',
      '1 h 2 min',
    ]);
  });
});
