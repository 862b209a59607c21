import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../../../local/traffic';
import type { GenericWebhookPayload } from '../../../src/notify/genericWebhook';
import { verifySignature } from '../../../src/notify/signature';

export interface Delivery {
  deliveryId: string;
  instanceId: string;
  vmName: string;
  outcome: string;
  /** The signature checked out against the shared secret. */
  signed: boolean;
  /** A download link came with it (its text is kept only to scan the logs for it). */
  downloadUrl?: string;
  payload: GenericWebhookPayload;
}

export interface NotifyReceiverOptions {
  /** Share of posts answered with a fault (500, 429 with Retry-After, a cut connection). */
  faultRate: number;
  seed: number;
  /** HMAC key the app signs with (NOTIFY_WEBHOOK_SECRET). */
  secret: string;
  /** VMs whose notifications are always refused with 503: their runs must report the failure. */
  refuseVms?: ReadonlySet<string>;
}

export interface NotifyReceiver {
  /** The webhook URL, its path a token, as the Teams and Slack URLs are. */
  url: string;
  /** The token part of the URL: a secret the logs must never show. */
  token: string;
  /** Accepted deliveries, duplicates included. */
  deliveries(): Delivery[];
  counts(): { posts: number; faults: number; refused: number; wrongPath: number };
  close(): Promise<void>;
}

/**
 * The operators' generic webhook: checks the path token and the signature, records what arrived,
 * and answers a seeded share of posts with a fault so that the notify step's retries are exercised.
 */
export async function startNotifyReceiver(options: NotifyReceiverOptions): Promise<NotifyReceiver> {
  const token = randomBytes(18).toString('base64url');
  const random = new SeededRandom(options.seed);
  const deliveries: Delivery[] = [];
  const counts = { posts: 0, faults: 0, refused: 0, wrongPath: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== `/hooks/${token}`) {
        counts.wrongPath++;
        res.writeHead(404).end();
        return;
      }
      counts.posts++;
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = JSON.parse(body) as GenericWebhookPayload;
      const vmName = String((payload.report as unknown as { vm?: { name?: string } }).vm?.name ?? '');
      if (options.refuseVms?.has(vmName.toLowerCase())) {
        counts.refused++;
        res.writeHead(503, { 'retry-after': '0' }).end('receiver down for this VM');
        return;
      }
      if (random.float() < options.faultRate) {
        counts.faults++;
        const kind = random.int(0, 2);
        if (kind === 0) res.writeHead(500).end('receiver failed');
        else if (kind === 1) res.writeHead(429, { 'retry-after': '0' }).end('slow down');
        else req.socket.destroy();
        return;
      }
      const signature = req.headers['x-alert-capture-signature'];
      deliveries.push({
        deliveryId: payload.deliveryId,
        instanceId: payload.report.instanceId,
        vmName,
        outcome: payload.report.outcome,
        signed: typeof signature === 'string' && verifySignature(options.secret, body, signature),
        ...(payload.download?.url && { downloadUrl: payload.download.url }),
        payload,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/${token}`,
    token,
    deliveries: () => [...deliveries],
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
