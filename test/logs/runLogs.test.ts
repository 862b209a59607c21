import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAlert } from '../e2e/support/alerts';
import { AppClient } from '../e2e/support/appClient';
import { useAppHost } from '../e2e/support/appHost';
import { WebhookReceiver } from '../notify/support/receiver';
import { EntraStandIn } from './support/entraStandIn';

/**
 * Full captures on the dev host, with every secret the app handles in play: the function and host
 * keys, the secure webhook's bearer tokens, the ARM token, the notification URLs (tokens in their
 * paths and queries) and the webhook signing secret, the SAS download links, the storage key.
 * Then every line the host wrote is read: none may hold any of them, and every line the app wrote
 * for a run is one JSON object naming the run's instance id and VM.
 */

const token = () => randomBytes(18).toString('base64url');
const secrets = {
  genericToken: token(),
  teamsSignature: token(),
  slackToken: token(),
  webhookSecret: token(),
};
const entra = new EntraStandIn();
const receiver = new WebhookReceiver();
const paths = {
  generic: `/hooks/alert-capture?token=${secrets.genericToken}`,
  teams: `/workflows/a1b2/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${secrets.teamsSignature}`,
  slack: `/services/T0001/B0002/${secrets.slackToken}`,
};
const settings: Record<string, string> = {};

beforeAll(async () => {
  await Promise.all([entra.start(), receiver.start()]);
  receiver.answer(paths.slack, { status: 403, body: 'invalid_token' });
  Object.assign(settings, entra.settings(), {
    NOTIFY_WEBHOOK_URL: receiver.url(paths.generic),
    NOTIFY_WEBHOOK_SECRET: secrets.webhookSecret,
    NOTIFY_TEAMS_URL: receiver.url(paths.teams),
    NOTIFY_SLACK_URL: receiver.url(paths.slack),
  });
});
afterAll(async () => {
  await Promise.all([entra.stop(), receiver.stop()]);
});

// Registered after the beforeAll above, so the host starts with the settings it fills in.
const app = useAppHost({ label: 'logs', settings });
const client = new AppClient(() => app.host);

/** The runs of this file: one captures for its time limit, one is stopped, one fails. */
const runs = { done: '', stopped: '', failed: '' };
const vmIdOfRun = new Map<string, string>();
const bearerTokens: string[] = [];
let sasSignature = '';

/** A line the app wrote through `context.log`, as the dev host prints it: `[level] function: message`. */
const APP_LINE = /^\[(information|warning|error|critical|debug|trace)\] ([A-Za-z0-9_]+): (.*)$/;

function appLines(): { level: string; fn: string; message: string }[] {
  return app.logs.flatMap((line) => {
    const match = APP_LINE.exec(line);
    return match ? [{ level: match[1]!, fn: match[2]!, message: match[3]! }] : [];
  });
}

beforeAll(async () => {
  const added = await app.stack.admin.upsertVms(
    ['vm-logs-done', 'vm-logs-stopped', 'vm-logs-failed'].map((name, i) => ({
      name,
      resourceGroup: 'rg-web',
      location: 'westeurope',
      privateIps: [`10.6.0.${i + 4}`],
      packetsPerSecond: 40,
    })),
  );
  const vmId = (name: string) => added.find((vm) => vm.name === name)!.id;
  await app.stack.admin.addFaults({
    capture: [{ kind: 'agentStopped', vm: 'vm-logs-failed', afterSeconds: 20 }],
  });

  const start = async (vm: string): Promise<string> => {
    const bearer = await entra.token();
    bearerTokens.push(bearer);
    const alert = sampleAlert('network-out-fired', {
      vmId: vmId(vm),
      storageAccountId: app.stack.storageAccountId,
      timeLimitSeconds: 60,
    });
    const answer = await client.postAlert(alert, { headers: { authorization: `Bearer ${bearer}` } });
    expect(answer.status, answer.text).toBe(202);
    vmIdOfRun.set(String(answer.body.id), vmId(vm));
    return String(answer.body.id);
  };
  const [done, stopped, failed] = await Promise.all(
    ['vm-logs-done', 'vm-logs-stopped', 'vm-logs-failed'].map(start),
  );
  Object.assign(runs, { done, stopped, failed });

  await client.waitFor(runs.stopped, (a) => a.body.progress?.capture?.status === 'Running');
  expect((await client.stop(runs.stopped, 'enough for the investigation')).status).toBe(202);
  const views = await Promise.all(Object.values(runs).map((id) => client.waitForEnd(id)));
  expect(views.map((view) => view.outcome)).toEqual(['succeeded', 'succeeded', 'failed']);

  const link = await client.downloadLink(runs.done);
  expect(link.status, link.text).toBe(200);
  sasSignature = new URL(String(link.body.url)).searchParams.get('sig') ?? '';
  expect((await client.downloadLink(runs.done, 'summary')).status).toBe(200);
}, 60_000);

describe('the log of full capture runs', () => {
  it('had every secret in play: signed links went out, tokens came in', () => {
    expect(sasSignature.length).toBeGreaterThan(20);
    const sentToTeams = receiver.requests.filter((r) => r.path === paths.teams).map((r) => r.body);
    expect(sentToTeams.join('\n')).toMatch(/[?&]sig=/);
    expect(receiver.requests.some((r) => r.path === paths.slack)).toBe(true);
    expect(bearerTokens).toHaveLength(3);
  });

  it('holds no secret in any line', () => {
    const log = app.logs.join('\n');
    expect(app.logs.length).toBeGreaterThan(50);
    const forbidden: Record<string, string> = {
      'function key': app.host.functionKey,
      'system key': app.host.systemKey,
      'master key': app.host.masterKey,
      'SAS signature of a download link': sasSignature,
      'generic webhook token': secrets.genericToken,
      'Teams workflow signature': secrets.teamsSignature,
      'Slack webhook token': secrets.slackToken,
      'webhook signing secret': secrets.webhookSecret,
      'ARM bearer token': 'offline-emulator-token',
      'storage account key': app.stack.azurite.accountKey,
    };
    bearerTokens.forEach((bearer, i) => {
      forbidden[`secure webhook token ${i}`] = bearer;
      forbidden[`secure webhook token ${i}, signature`] = bearer.split('.')[2]!;
    });
    for (const [what, value] of Object.entries(forbidden)) {
      expect(value.length, what).toBeGreaterThan(8);
      expect(log.includes(value), `${what} is in the log`).toBe(false);
    }
    expect(log).not.toMatch(/[?&]sig=/i);
    expect(log).not.toMatch(/AccountKey=|SharedAccessSignature=|Bearer ey/i);
  });

  it('writes each app line as one JSON object with the instance id and the VM of its run', () => {
    const lines = appLines();
    expect(lines.length).toBeGreaterThan(40);
    const unlabelled = lines.filter(({ message }) => {
      let entry: { event?: unknown; instanceId?: unknown; vm?: unknown };
      try {
        entry = JSON.parse(message) as typeof entry;
      } catch {
        return true;
      }
      const vm = typeof entry.instanceId === 'string' ? vmIdOfRun.get(entry.instanceId) : undefined;
      return (
        typeof entry.event !== 'string' ||
        vm === undefined ||
        typeof entry.vm !== 'string' ||
        entry.vm.toLowerCase() !== vm.toLowerCase()
      );
    });
    expect(unlabelled.map((line) => `${line.fn}: ${line.message}`)).toEqual([]);
  });

  it('covers each run from the alert to its end: phases, activities, the stop, the failure, the links', () => {
    const events = (instanceId: string) =>
      appLines()
        .map(({ fn, message }): Record<string, unknown> => ({ ...(JSON.parse(message) as object), fn }))
        .filter((entry) => entry.instanceId === instanceId);
    const names = (instanceId: string) => new Set(events(instanceId).map((entry) => entry.event));

    expect([...names(runs.done)]).toEqual(
      expect.arrayContaining([
        'alert.started',
        'run.phase',
        'activity.succeeded',
        'capture.created',
        'capture.status',
        'blob.verified',
        'summary.written',
        'notify.delivered',
        'notify.failed',
        'capture.delete',
        'run.downloadLinkIssued',
      ]),
    );
    const activities = new Set(events(runs.done).map((entry) => entry.fn));
    expect([...activities]).toEqual(
      expect.arrayContaining([
        'alerts',
        'captureOnAlert',
        'loadRunSettings',
        'resolveTarget',
        'inspectCaptures',
        'createCapture',
        'getCaptureStatus',
        'verifyCaptureBlob',
        'notify',
        'deleteCapture',
        'captureDownload',
      ]),
    );
    expect([...names(runs.stopped)]).toEqual(expect.arrayContaining(['run.stopRequested', 'capture.stop']));
    expect(events(runs.failed)).toContainEqual(
      expect.objectContaining({ event: 'run.phase', phase: 'failed', error: 'CAPTURE_FAILED' }),
    );
  });
});
