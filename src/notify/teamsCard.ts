import type { ReportDigest } from './digest';
import type { OutgoingMessage } from './genericWebhook';
import { truncate } from './text';

/**
 * A Teams Workflows webhook message: an Adaptive Card (1.4, the version Teams renders) wrapped
 * in a message with one attachment.
 */
export function teamsMessage(digest: ReportDigest): OutgoingMessage {
  const ok = digest.outcome === 'succeeded';
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: digest.title,
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      color: ok ? 'Good' : 'Attention',
    },
    { type: 'TextBlock', text: truncate(digest.headline, 1000), wrap: true },
    { type: 'FactSet', facts: digest.facts.map((f) => ({ title: f.label, value: truncate(f.value, 500) })) },
  ];
  for (const section of digest.sections) {
    body.push({ type: 'TextBlock', text: section.title, weight: 'Bolder', wrap: true, spacing: 'Medium' });
    for (const line of section.lines)
      body.push({ type: 'TextBlock', text: line, wrap: true, spacing: 'None', fontType: 'Monospace' });
  }
  const actions: unknown[] = [];
  if (digest.download) {
    actions.push({ type: 'Action.OpenUrl', title: 'Download capture', url: digest.download.url });
    body.push({
      type: 'TextBlock',
      text: `Link valid until ${digest.download.expiresOn}`,
      isSubtle: true,
      wrap: true,
      size: 'Small',
    });
  }
  if (digest.statusUrl) actions.push({ type: 'Action.OpenUrl', title: 'Run status', url: digest.statusUrl });
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 && { actions }),
  };
  const message = {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
  return {
    body: JSON.stringify(message),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
  };
}
