import { describe, expect, it } from 'vitest';
import { startDevHost } from '../../local/devhost';
import { sampleAlert } from './support/alerts';
import { AppClient } from './support/appClient';
import { reloadRequiredSettings, useAppHost } from './support/appHost';

const app = useAppHost({ label: 'e2e-settings' });
const client = new AppClient(() => app.host);
const fired = () =>
  sampleAlert('network-out-fired', {
    vmId: app.stack.vmId('vm-web-01'),
    storageAccountId: app.stack.storageAccountId,
  });

describe('app settings', () => {
  it('answers 503 CONFIG_INVALID with Retry-After when a setting is bad, so that Azure Monitor retries', async () => {
    process.env.CAPTURE_SESSION_LIMIT = '0';
    reloadRequiredSettings();
    try {
      const answer = await client.postAlert(fired());
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('60');
      expect(answer.body).toMatchObject({ code: 'CONFIG_INVALID', status: 503 });
    } finally {
      process.env.CAPTURE_SESSION_LIMIT = app.hostOptions.env?.CAPTURE_SESSION_LIMIT ?? '';
      reloadRequiredSettings();
    }
  });

  it('stops the host at start with a message naming a malformed setting, and starts once it is fixed', async () => {
    await app.host.stop();
    const badFilters = '[{"protocol":"TCP","remotePort":"80-85;443"}]';
    const error = await startDevHost({
      ...app.hostOptions,
      env: { ...app.hostOptions.env, CAPTURE_DEFAULT_FILTERS: badFilters },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toMatch(
      /CAPTURE_DEFAULT_FILTERS has invalid filters: filter 0 remotePort/,
    );

    await app.restart();
    const answer = await client.postAlert({ schemaId: 'unknown' });
    expect(answer).toMatchObject({ status: 400, body: { code: 'ALERT_SCHEMA_UNKNOWN' } });
  });
});
