/**
 * Fuzzing the webhook over HTTP: thousands of bodies derived from every supported schema, mutated
 * (types, nulls, huge strings, unicode, twisted ids, option and filter attacks, damaged text, other
 * content types), posted to the unchanged app on the dev host. Every answer must be a documented
 * 2xx, or a 4xx problem document with a catalogued code; never a 5xx. Every answer must agree with
 * the intake's own decision on the same bytes, and no invalid body may start an orchestration.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretAlert } from '../../src/alerts/interpretAlert';
import { loadConfig } from '../../src/config';
import { ERROR_CATALOG, type ErrorCode } from '../../src/errors/catalog';
import { MAX_ALERT_BODY_BYTES } from '../../src/http/readJsonBody';
import { sampleAlert, SAMPLES } from '../e2e/support/alerts';
import { mutatedAlert, type WireBody } from './support/alertMutations';
import { CampaignHost } from './support/campaignHost';
import { campaignSize } from './support/campaignSize';
import { writeFigures } from './support/figures';
import { LogCapture } from './support/logCapture';
import { findSecrets } from './support/secrets';
import { INTAKE_CODES } from '../alerts/intakeCodes';

const size = campaignSize();
const SEED = 424_242;
const CONCURRENCY = 8;

/** The answers docs/webhook.md documents for POST /api/alerts (no secure webhook here). */
const DOCUMENTED_STATUSES = new Set([200, 202, 400, 403, 413, 415, 422]);
const WEBHOOK_CODES = new Set<ErrorCode>([
  'ALERT_BODY_TOO_LARGE',
  'ALERT_UNSUPPORTED_MEDIA_TYPE',
  'ALERT_NOT_JSON',
  ...INTAKE_CODES,
]);
/** Content types the webhook reads as JSON (docs: a JSON type, text/plain or none; UTF-8 only). */
const JSON_TYPES =
  /^(application\/json|text\/json|text\/plain|application\/[\w.-]+\+json)(;\s*charset=utf-?8)?$/i;

const logs = new LogCapture();
let app: CampaignHost;
let samples: unknown[] = [];

beforeAll(async () => {
  logs.start();
  app = await CampaignHost.start({ label: 'reliability-fuzz', log: logs.sink });
  const targets = ['vm-web-01', 'vm-web-02', 'vm-jump-01', 'vm-db-01', 'vm-sandbox-01'];
  samples = targets.flatMap((vm) =>
    [...SAMPLES, 'network-out-resolved' as const].map((sample) =>
      sampleAlert(sample, {
        vmId: app.stack.vmId(vm),
        storageAccountId: app.stack.storageAccountId,
        timeLimitSeconds: 60,
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  logs.stop();
  await app?.stop();
}, 60_000);

interface Answer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
}

/** What the intake must answer for these bytes, decided the way docs/webhook.md says. */
function expectedAnswer(wire: WireBody): { status: number; code?: string; id?: string } {
  const type = wire.contentType;
  if (type !== undefined && !JSON_TYPES.test(type.trim()))
    return { status: 415, code: 'ALERT_UNSUPPORTED_MEDIA_TYPE' };
  if (wire.bytes.byteLength > MAX_ALERT_BODY_BYTES) return { status: 413, code: 'ALERT_BODY_TOO_LARGE' };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(wire.bytes));
  } catch {
    return { status: 400, code: 'ALERT_NOT_JSON' };
  }
  const decision = interpretAlert(value, loadConfig(process.env));
  switch (decision.kind) {
    case 'refused':
      return { status: decision.problem.status, code: decision.problem.code };
    case 'resolved':
      return { status: 200, id: decision.instanceId };
    case 'capture':
      return { status: 202, id: decision.instanceId };
  }
}

async function post(wire: WireBody): Promise<Answer> {
  const response = await fetch(`${app.host.url}/api/alerts`, {
    method: 'POST',
    headers: {
      'x-functions-key': app.host.functionKey,
      ...(wire.contentType !== undefined && { 'content-type': wire.contentType }),
    },
    body: wire.bytes,
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text.slice(0, 200) };
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

describe(`webhook fuzzing over HTTP (${size.fuzzBodies} bodies)`, () => {
  it('answers every body with a documented 2xx or a 4xx problem, as the intake decides, never a 5xx', async () => {
    const bodies = fc.sample(mutatedAlert(samples, app.stack.outsideSubscriptionId), {
      numRuns: size.fuzzBodies,
      seed: SEED,
    });
    const started = Date.now();
    const answers: Answer[] = new Array(bodies.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < bodies.length; i = next++) answers[i] = await post(bodies[i]!);
      }),
    );

    const statuses: Record<string, number> = {};
    const codes: Record<string, number> = {};
    const accepted = new Set<string>();
    bodies.forEach((wire, i) => {
      const answer = answers[i]!;
      const label = `body ${i} (${wire.mutations.join('; ')}): ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      expect(answer.status, label).toBeLessThan(500);
      expect(DOCUMENTED_STATUSES.has(answer.status), label).toBe(true);
      const expected = expectedAnswer(wire);
      expect({ status: answer.status, code: answer.body.code, id: answer.body.id }, label).toEqual({
        status: expected.status,
        code: expected.code,
        id: expected.id,
      });
      if (answer.status >= 400) {
        const code = String(answer.body.code) as ErrorCode;
        codes[code] = (codes[code] ?? 0) + 1;
        expect(answer.contentType, label).toBe('application/problem+json');
        expect(WEBHOOK_CODES.has(code), label).toBe(true);
        expect(ERROR_CATALOG[code].status, label).toBe(answer.status);
        expect(answer.body, label).toMatchObject({
          type: `urn:alert-capture:error:${code}`,
          status: answer.status,
        });
      }
      if (answer.status === 202) accepted.add(String(answer.body.id));
    });

    // No body that was refused, or merely resolved an alert, started an orchestration.
    const instances = app.host.engine.listInstances().map((s) => s.instanceId);
    expect(new Set(instances)).toEqual(accepted);
    expect(findSecrets(logs.lines, [{ name: 'function key', value: app.host.functionKey }])).toEqual([]);

    const figures = {
      bodies: bodies.length,
      elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
      damagedText: bodies.filter((b) => b.value === undefined).length,
      statuses,
      codes,
      orchestrationsStarted: accepted.size,
      serverErrors: Object.entries(statuses)
        .filter(([status]) => Number(status) >= 500)
        .reduce((sum, [, n]) => sum + n, 0),
    };
    logs.stop();
    writeFigures(`fuzz-webhook-${size.name}`, figures);
    // The mix must reach every kind of answer, or the fuzzer is not doing its job.
    for (const status of [200, 202, 400, 403, 413, 415, 422])
      expect(statuses[status], `status ${status}`).toBeGreaterThan(0);
  }, 300_000);
});
