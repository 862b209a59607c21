import fc from 'fast-check';

/** A body as it goes on the wire, with the headers that travel with it. */
export interface WireBody {
  /** Exact bytes sent. */
  bytes: Uint8Array;
  contentType: string | undefined;
  /** The JSON value before any damage to its text; undefined when the text itself was damaged. */
  value?: unknown;
  /** What was done to the sample, to explain a failure. */
  mutations: string[];
}

const SUBSCRIPTION = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Ways to twist an ARM id so that it names another VM, no VM, or smuggles a path. */
export const ID_TRICKS: readonly { name: string; apply: (id: string, other: string) => string }[] = [
  { name: 'upper case', apply: (id) => id.toUpperCase() },
  { name: 'parent segment', apply: (id) => id.replace('/resourceGroups/', '/resourceGroups/x/../') },
  { name: 'dot segment', apply: (id) => id.replace('/providers/', '/./providers/') },
  { name: 'encoded slash', apply: (id) => id.replace(/\/virtualMachines\//i, '%2FvirtualMachines%2F') },
  {
    name: 'double-encoded slash',
    apply: (id) => id.replace(/\/virtualMachines\//i, '%252FvirtualMachines/'),
  },
  { name: 'backslashes', apply: (id) => id.replace(/\//g, '\\') },
  { name: 'double slash', apply: (id) => id.replace('/providers', '//providers') },
  { name: 'trailing slash', apply: (id) => `${id}/` },
  { name: 'child resource', apply: (id) => `${id}/extensions/NetworkWatcherAgentLinux` },
  { name: 'query', apply: (id) => `${id}?api-version=2024-01-01` },
  { name: 'fragment', apply: (id) => `${id}#x` },
  { name: 'NUL', apply: (id) => `${id}\u0000` },
  { name: 'zero-width space', apply: (id) => id.replace('virtualMachines/', 'virtualMachines/\u200b') },
  { name: 'right-to-left override', apply: (id) => `${id}\u202e` },
  { name: 'fullwidth letter', apply: (id) => id.replace(/resourceGroups\/(.)/i, 'resourceGroups/\uff52') },
  { name: 'other subscription', apply: (id, other) => id.replace(SUBSCRIPTION, other) },
  { name: 'scale set', apply: (id) => id.replace(/virtualMachines/i, 'virtualMachineScaleSets') },
  {
    name: 'subscription only',
    apply: (id) => (SUBSCRIPTION.exec(id) ? `/subscriptions/${SUBSCRIPTION.exec(id)![0]}` : id),
  },
  { name: 'other VM name', apply: (id) => id.replace(/[^/]+$/, 'vm-nobody-here') },
  { name: 'leading spaces', apply: (id) => `  ${id}` },
];

/** Values that break types, sizes and parsers. */
const WEIRD_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -0,
  '',
  ' ',
  '0',
  '-1',
  '1e3',
  '18001',
  'NaN',
  '../../etc/passwd',
  '%2e%2e%2f',
  '$(reboot)',
  '`id`',
  "'; DROP TABLE captures; --",
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '\u0000',
  '\ud800',
  '\u202e\u200b',
  'ｆｕｌｌｗｉｄｔｈ',
  '😀'.repeat(50),
  'x'.repeat(10_000),
  [],
  [null],
  {},
  [[[[[]]]]],
];

/** Custom property values aimed at the capture options and filters. */
const OPTION_ATTACKS: readonly [string, string][] = [
  ['captureTimeLimitSeconds', '0'],
  ['captureTimeLimitSeconds', '18001'],
  ['captureTimeLimitSeconds', '600.5'],
  ['captureTimeLimitSeconds', '600; rm -rf /'],
  ['captureBytesPerPacket', '-1'],
  ['captureBytesPerSession', '4294967296'],
  ['captureFilters', '[{"protocol":"TCP","remotePort":"443; rm -rf /"}]'],
  ['captureFilters', '[{"protocol":"TCP","localIPAddress":"10.0.0.0/8"}]'],
  ['captureFilters', '[{"protocol":"ICMP"}]'],
  ['captureFilters', '[{"protocol":"TCP","remoteIPAddress":"$(curl evil)"}]'],
  ['captureFilters', '[{"protocol":"UDP","localPort":"1-2-3"}]'],
  ['captureFilters', '{"protocol":"TCP"}'],
  ['captureFilters', '[' + '{"protocol":"Any"},'.repeat(21) + '{"protocol":"Any"}]'],
  ['captureFilters', 'not json'],
  ['captureTimeLimitSecond', '60'],
  ['capturefilters', '[]'],
];

type Path = (string | number)[];

/** Every path to a value inside `value` (the root included). */
function pathsOf(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], into);
  }
  return into;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return typeof node === 'object' && node !== null ? node : undefined;
}

/** Sets an own property, even `__proto__`, so that JSON.stringify sends it. */
function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = (
  body: unknown,
  pick: (n: number) => number,
  other: string,
) => { body: unknown; what: string };

const MUTATIONS: Mutation[] = [
  // Replace any value with one of another type or size.
  (body, pick) => {
    const paths = pathsOf(body).filter((p) => p.length > 0);
    if (paths.length === 0) return { body, what: 'nothing to replace' };
    const path = paths[pick(paths.length)]!;
    const value = WEIRD_VALUES[pick(WEIRD_VALUES.length)];
    setOwn(parentOf(body, path)!, path.at(-1)!, structuredClone(value));
    return { body, what: `${path.join('/')} = ${JSON.stringify(value)?.slice(0, 40)}` };
  },
  // Twist a resource id.
  (body, pick, other) => {
    const paths = pathsOf(body).filter((p) => {
      const value = p.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], body);
      return typeof value === 'string' && value.toLowerCase().includes('/subscriptions/');
    });
    if (paths.length === 0) return { body, what: 'no id to twist' };
    const path = paths[pick(paths.length)]!;
    const trick = ID_TRICKS[pick(ID_TRICKS.length)]!;
    const parent = parentOf(body, path)!;
    setOwn(parent, path.at(-1)!, trick.apply(String(parent[path.at(-1)!]), other));
    return { body, what: `${path.join('/')}: ${trick.name}` };
  },
  // Remove a member.
  (body, pick) => {
    const paths = pathsOf(body).filter((p) => p.length > 0 && typeof p.at(-1) === 'string');
    if (paths.length === 0) return { body, what: 'nothing to remove' };
    const path = paths[pick(paths.length)]!;
    delete parentOf(body, path)![path.at(-1)!];
    return { body, what: `delete ${path.join('/')}` };
  },
  // Add a member somewhere: an unknown one, a prototype key, or a capture option attack.
  (body, pick) => {
    const objects = pathsOf(body).filter((p) => {
      const value = p.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], body);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    });
    if (objects.length === 0) return { body, what: 'no object to add to' };
    const path = objects[pick(objects.length)]!;
    const target = path.reduce<unknown>(
      (node, key) => (node as Record<string, unknown>)[key],
      body,
    ) as Record<string, unknown>;
    const [key, value] = [
      ['__proto__', { polluted: true }],
      ['constructor', { prototype: { polluted: true } }],
      ['unexpectedMember', 'x'],
      ...OPTION_ATTACKS,
    ][pick(OPTION_ATTACKS.length + 3)] as [string, unknown];
    setOwn(target, key, value);
    return { body, what: `${[...path, key].join('/')} += ${JSON.stringify(value).slice(0, 60)}` };
  },
];

/** Damage to the JSON text itself. */
const TEXT_DAMAGE: {
  name: string;
  apply: (text: string, pick: (n: number) => number) => string | Uint8Array;
}[] = [
  { name: 'truncated', apply: (text, pick) => text.slice(0, pick(text.length)) },
  { name: 'byte-order mark', apply: (text) => `\ufeff${text}` },
  { name: 'trailing garbage', apply: (text) => `${text}}` },
  { name: 'single quotes', apply: (text) => text.replace(/"/g, "'") },
  { name: 'duplicate key', apply: (text) => text.replace('{', '{"schemaId":"x",') },
  {
    name: 'invalid UTF-8',
    apply: (text) => Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xc3, 0x28, 0xff])]),
  },
  { name: 'deep nesting', apply: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { name: 'over 256 KB', apply: (text) => text.replace('{', `{"pad":"${'x'.repeat(262_144)}",`) },
  { name: 'empty', apply: () => '' },
  { name: 'JSON scalar', apply: () => '"alert"' },
  { name: 'top-level array', apply: (text) => `[${text}]` },
];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'text/plain',
  'application/cloudevents+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
];

/**
 * Webhook bodies derived from real samples: mostly valid JSON with one to three mutations (types,
 * nulls, huge strings, unicode, twisted ids, option and filter attacks, prototype keys), a share
 * with damaged text, and a share with another content type.
 */
export function mutatedAlert(samples: readonly unknown[], otherSubscription: string): fc.Arbitrary<WireBody> {
  return fc
    .record({
      sample: fc.nat({ max: samples.length - 1 }),
      mutations: fc.array(
        fc.tuple(fc.nat({ max: MUTATIONS.length - 1 }), fc.array(fc.nat(), { minLength: 4, maxLength: 4 })),
        {
          minLength: 0,
          maxLength: 3,
        },
      ),
      damage: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(fc.nat({ max: TEXT_DAMAGE.length - 1 }), fc.nat()) },
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant(CONTENT_TYPES[0]) },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
    })
    .map(({ sample, mutations, damage, contentType }) => {
      let body = structuredClone(samples[sample]);
      const done: string[] = [`sample ${sample}`];
      for (const [which, draws] of mutations) {
        let draw = 0;
        const pick = (n: number) => (n <= 0 ? 0 : draws[draw++ % draws.length]! % n);
        const result = MUTATIONS[which]!(body, pick, otherSubscription);
        body = result.body;
        done.push(result.what);
      }
      const text = JSON.stringify(body);
      if (damage) {
        const [which, seed] = damage;
        const harm = TEXT_DAMAGE[which]!;
        const damaged = harm.apply(text, (n) => (n <= 0 ? 0 : seed % n));
        done.push(`text: ${harm.name}`);
        return {
          bytes: typeof damaged === 'string' ? Buffer.from(damaged) : damaged,
          contentType,
          mutations: done,
        };
      }
      return { bytes: Buffer.from(text), contentType, value: body, mutations: done };
    });
}
