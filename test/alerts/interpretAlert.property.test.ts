import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretAlert } from '../../src/alerts/interpretAlert';
import { CAPTURE_LIMITS } from '../../src/capture/limits';
import { ERROR_CATALOG } from '../../src/errors/catalog';
import { problemTypeFor } from '../../src/http/problem';
import { AllowList } from '../../src/security/allowList';
import { isResourceType, parseArmResourceId } from '../../src/security/armResourceId';
import { fixture, SETTINGS, SUB, VM_ID } from './helpers';
import { INTAKE_CODES } from './intakeCodes';

const FIXTURES = readdirSync(join(__dirname, 'fixtures')).map((f) => f.replace(/\.json$/, ''));
const OTHER_SUB = '99999999-9999-9999-9999-999999999999';
const TRICKY_IDS = [
  VM_ID.toUpperCase(),
  VM_ID.toLowerCase(),
  VM_ID.replace('rg-web', 'rg-web/../rg-db'),
  VM_ID.replace('rg-web', 'rg-web%2F..%2Frg-db'),
  VM_ID.replace('rg-web', 'rg-web%252F..'),
  VM_ID.replace('rg-web', 'rg-db'),
  VM_ID.replace(SUB, OTHER_SUB),
  VM_ID.replace('/resourceGroups/', '//resourceGroups/'),
  `${VM_ID}/`,
  `${VM_ID}/extensions/x`,
  VM_ID.replace('virtualMachines', 'virtualMachineScaleSets'),
  VM_ID.replace(/\//g, '\\'),
  `${VM_ID}\u0000`,
  VM_ID.replace('vm-web-01', 'vm-web-01\u202e'),
  VM_ID.replace('rg-web', 'rg-\uFF57eb'),
  `/subscriptions/${SUB}`,
  `/subscriptions/${SUB}/resourceGroups/rg-web`,
];
const TRICKY_VALUES = [
  '',
  ' ',
  '../../etc/passwd',
  '%2e%2e%2f',
  '$(reboot)',
  '80;443;',
  '10.0.0.1-10.0.0.2',
  '[{"protocol":"TCP","remotePort":"443; rm -rf /"}]',
  '[{"protocol":"Any"}]',
  '__proto__',
  'constructor',
  'Fired',
  'Resolved',
  'Deactivated',
  'azureMonitorCommonAlertSchema',
  'AzureMonitorMetricAlert',
  'Microsoft.Insights/activityLogs',
];

const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...TRICKY_IDS, ...TRICKY_VALUES),
  fc.constant('x'.repeat(300_000)),
);
const value = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), leaf, { maxKeys: 4 }) },
);
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add', 'caseflip', 'retarget'),
  key: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('__proto__', 'constructor', 'captureFilters', 'schemaId'),
  ),
  value,
});

type Json = Record<string, unknown> | unknown[];

/** Every container in the body with its keys, so a mutation can pick any place. */
function places(root: Json): Array<{ parent: Json; key: string | number }> {
  const found: Array<{ parent: Json; key: string | number }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) {
        found.push({ parent: node as Json, key: k });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(body: Record<string, unknown>, mutations: Mutation[]): unknown {
  for (const m of mutations) {
    const all = places(body);
    if (all.length === 0) return m.value;
    if (m.op === 'retarget') {
      // Aim at the values that name resources: where allow-list bypasses would be tried.
      const ids = all.filter(({ parent, key }) => {
        const current = (parent as Record<string | number, unknown>)[key];
        return typeof current === 'string' && /^\/subscriptions\//i.test(current);
      });
      const place = ids[m.at % Math.max(ids.length, 1)];
      if (place)
        (place.parent as Record<string | number, unknown>)[place.key] = TRICKY_IDS[m.at % TRICKY_IDS.length];
      continue;
    }
    const { parent, key } = all[m.at % all.length]!;
    const target = parent as Record<string | number, unknown>;
    if (m.op === 'replace') target[key] = m.value;
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
    } else if (m.op === 'add') {
      const container = target[key];
      if (container !== null && typeof container === 'object' && !Array.isArray(container)) {
        Object.defineProperty(container, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    } else if (typeof target[key] === 'string') {
      target[key] = (target[key] as string).toUpperCase();
    }
  }
  return body;
}

describe('interpretAlert on mutated bodies', () => {
  const allowList = AllowList.parse(SETTINGS.ALLOWED_SCOPES);

  it('never throws and only answers documented 4xx problems or sound decisions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (name, mutations) => {
          const body = mutate(fixture(name), mutations);
          const decision = interpretAlert(body, SETTINGS);
          if (decision.kind === 'refused') {
            const { problem } = decision;
            expect(INTAKE_CODES.has(problem.code)).toBe(true);
            expect(problem.status).toBe(ERROR_CATALOG[problem.code].status);
            expect(problem.status >= 400 && problem.status < 500).toBe(true);
            expect(problem.type).toBe(problemTypeFor(problem.code));
            expect(typeof problem.field).toBe('string');
            expect(problem.detail.length).toBeLessThan(4000);
            return;
          }
          const vmId = decision.kind === 'capture' ? decision.request.vmId : decision.vmId;
          const parsed = parseArmResourceId(vmId);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(isResourceType(parsed.value, 'Microsoft.Compute/virtualMachines')).toBe(true);
          expect(allowList.allows(parsed.value)).toBe(true);
          expect(decision.instanceId).toMatch(/^capture-[a-z0-9._-]+-[0-9a-f]{16}$/);
          expect(decision.instanceId.length).toBeLessThanOrEqual(100);
          if (decision.kind !== 'capture') return;
          const { options } = decision.request;
          for (const limit of ['timeLimitSeconds', 'bytesPerPacket', 'bytesPerSession'] as const) {
            const v = options[limit];
            if (v === undefined) continue;
            expect(
              Number.isSafeInteger(v) && v >= CAPTURE_LIMITS[limit].min && v <= CAPTURE_LIMITS[limit].max,
            ).toBe(true);
          }
          expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
