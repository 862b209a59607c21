import type { ReportDigest } from './digest';
import type { OutgoingMessage } from './genericWebhook';
import { truncate } from './text';

/** Slack's limits on block text (characters). */
const LIMITS = { header: 150, section: 3000, field: 2000, fields: 10 };

/** Slack mrkdwn treats `&`, `<` and `>` as control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack incoming-webhook message: Block Kit blocks plus the plain `text` notifications show. */
export function slackMessage(digest: ReportDigest): OutgoingMessage {
  const icon = digest.outcome === 'succeeded' ? ':white_check_mark:' : ':x:';
  const blocks: unknown[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(digest.title, LIMITS.header), emoji: true },
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${icon} ${escape(digest.headline)}`, LIMITS.section) },
    },
    {
      type: 'section',
      fields: digest.facts.slice(0, LIMITS.fields).map((f) => ({
        type: 'mrkdwn',
        text: truncate(`*${escape(f.label)}*\n${escape(f.value)}`, LIMITS.field),
      })),
    },
  ];
  for (const section of digest.sections) {
    const lines = section.lines.map((line) => `• ${escape(line)}`).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${escape(section.title)}*\n${lines}`, LIMITS.section) },
    });
  }
  const buttons: unknown[] = [];
  if (digest.download) {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Download capture' },
      url: digest.download.url,
      style: 'primary',
    });
  }
  if (digest.statusUrl)
    buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Run status' }, url: digest.statusUrl });
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  if (digest.download) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Link valid until ${digest.download.expiresOn}` }],
    });
  }
  const message = { text: escape(`${digest.title}: ${digest.headline}`), blocks };
  return {
    body: JSON.stringify(message),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
  };
}
