import { afterAll, beforeAll } from 'vitest';
import { WebhookReceiver } from '../../notify/support/receiver';
import { reloadAppSettings } from './appModules';

/** A local generic-webhook receiver that the app notifies for the whole test file. */
export function useNotificationReceiver(): WebhookReceiver {
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    await receiver.start();
    process.env.NOTIFY_WEBHOOK_URL = receiver.url('/hook');
    reloadAppSettings();
  });
  afterAll(async () => {
    delete process.env.NOTIFY_WEBHOOK_URL;
    reloadAppSettings();
    await receiver.stop();
  });
  return receiver;
}
