import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingName } from '../../src/config';
import { genericWebhookMessage } from '../../src/notify/genericWebhook';
import { notificationReportSchema } from '../../src/notify/report';
import { FAILURE_REPORT, SUCCESS_REPORT } from './support/reports';

const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('docs/notifications.md', () => {
  const doc = read('docs/notifications.md');

  it('documents every field of the generic webhook payload', () => {
    const paths = new Set<string>();
    for (const report of [SUCCESS_REPORT, FAILURE_REPORT]) {
      const payload = JSON.parse(
        genericWebhookMessage({
          report: notificationReportSchema.parse(report),
          download: { url: 'u', expiresOn: 'e' },
          deliveryId: 'd',
          sentAt: new Date(),
        }).body,
      ) as Record<string, unknown>;
      for (const [key, value] of Object.entries(payload)) {
        paths.add(key);
        if (key !== 'report') continue;
        for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
          paths.add(`report.${field}`);
          if (field === 'capture')
            for (const sub of Object.keys(inner as object)) paths.add(`report.capture.${sub}`);
        }
      }
    }
    const undocumented = [...paths].filter(
      (path) =>
        !doc.includes(`\`${path}\``) && !doc.includes(`\`${path.split('.').slice(0, -1).join('.')}\``),
    );
    expect(undocumented).toEqual([]);
  });
});

describe('docs/activities.md', () => {
  const doc = read('docs/activities.md');
  // Every setting the activities and the Azure/notify code they use read.
  const sources = ['src/activities', 'src/azure', 'src/notify', 'src/capture'];
  const used = new Set<SettingName>();
  for (const dir of sources) {
    for (const file of readdirSync(join(root, dir))) {
      for (const match of read(`${dir}/${file}`).matchAll(/(?:config|getConfig\(\))\.([A-Z_]+)/g)) {
        used.add(match[1] as SettingName);
      }
    }
  }

  it('finds the settings the activities read', () => {
    expect(used.size).toBeGreaterThan(10);
  });

  it('lists every one of them with its default', () => {
    for (const name of used) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `${name} is missing from docs/activities.md`).toBeDefined();
      const defaultCell = row!.split('|')[2]!.trim();
      const spec = SETTINGS[name] as {
        default?: string;
        schema: { safeParse(v: unknown): { success: boolean } };
      };
      const required = spec.default === undefined && !spec.schema.safeParse(undefined).success;
      const expected = spec.default !== undefined ? `\`${spec.default}\`` : required ? 'required' : 'unset';
      expect(defaultCell, name).toBe(expected);
    }
  });
});
