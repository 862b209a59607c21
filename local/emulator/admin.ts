import type { IncomingMessage } from 'node:http';
import { ArmError } from './armError';
import { readJsonBody, type JsonAnswer } from './httpIo';
import type { Namespace } from './namespace';
import type { NamespaceRegistry } from './namespaces';
import { parseVmSpec } from './inventory';
import type { CreateNamespaceRequest, FaultSet, NamespaceSettings } from './types';

type AdminAction = (ns: Namespace, body: unknown) => Promise<JsonAnswer> | JsonAnswer;

const ok = (body?: unknown): JsonAnswer => (body === undefined ? { status: 204 } : { status: 200, body });

/**
 * `/_admin/namespaces/{name}/…` actions. Clock moves and session listings first bring the sessions
 * up to date, so a test that advances the clock then reads storage finds the file there.
 */
const ACTIONS: Record<string, AdminAction> = {
  'GET ': (ns) => ok(ns.info()),
  'POST reset': (ns) => {
    ns.reset();
    return ok(ns.info());
  },
  'PATCH settings': (ns, body) => {
    ns.updateSettings(objectBody(body) as Partial<NamespaceSettings>);
    return ok(ns.info());
  },
  'GET clock': async (ns) => {
    await ns.sync();
    return ok(ns.clock.state());
  },
  'POST clock/advance': async (ns, body) => {
    await ns.sync();
    ns.clock.advance(Number(objectBody(body).ms));
    await ns.sync();
    return ok(ns.clock.state());
  },
  'POST clock/set': async (ns, body) => {
    const time = objectBody(body).time;
    await ns.sync();
    ns.clock.set(new Date(time as string | number).getTime());
    await ns.sync();
    return ok(ns.clock.state());
  },
  'GET faults': (ns) => ok(ns.faults.list()),
  'POST faults': (ns, body) => {
    ns.faults.add(objectBody(body) as FaultSet);
    return ok(ns.faults.list());
  },
  'DELETE faults': (ns) => {
    ns.faults.clear();
    return ok();
  },
  'GET sessions': async (ns) => {
    await ns.sync();
    return ok(ns.captures.sessions());
  },
  'PUT vms': (ns, body) => {
    const specs = (Array.isArray(body) ? body : [body]).map(parseVmSpec);
    const defaultSubscription = ns.inventory.subscriptions()[0]?.id as string;
    const vms = specs.map((spec) =>
      ns.inventory.upsertVm({ ...spec, subscriptionId: spec.subscriptionId ?? defaultSubscription }),
    );
    return ok(vms.map((vm) => ({ id: vm.id, name: vm.name, nicId: vm.nicId, vmId: vm.vmId })));
  },
  'GET requests': (ns) => ok(ns.requests.stats()),
  'DELETE requests': (ns) => {
    ns.requests.clear();
    return ok();
  },
};

/** Answers an admin request (loopback only; the server checks). */
export async function handleAdmin(
  req: IncomingMessage,
  path: string,
  registry: NamespaceRegistry,
): Promise<JsonAnswer> {
  try {
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'DELETE' ? undefined : await readJsonBody(req);
    if (path === '/_admin/health') return ok({ status: 'ok' });
    if (path === '/_admin/namespaces' && method === 'GET') return ok(registry.all().map((ns) => ns.info()));
    if (path === '/_admin/namespaces' && method === 'POST') {
      return {
        status: 201,
        body: registry.create(objectBody(body) as unknown as CreateNamespaceRequest).info(),
      };
    }
    const match = /^\/_admin\/namespaces\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (!match) throw new ArmError(404, 'NotFound', `no admin endpoint ${method} ${path}`);
    const name = decodeURIComponent(match[1] as string);
    const rest = match[2] ?? '';
    if (method === 'DELETE' && rest === '') {
      registry.delete(name);
      return ok();
    }
    const action = ACTIONS[`${method} ${rest}`];
    if (!action) throw new ArmError(404, 'NotFound', `no admin endpoint ${method} ${path}`);
    return await action(registry.get(name), body);
  } catch (error) {
    if (error instanceof ArmError) return { status: error.status, body: error.body() };
    if (error instanceof TypeError || error instanceof RangeError) {
      return { status: 400, body: { error: { code: 'BadRequest', message: error.message } } };
    }
    throw error;
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TypeError('the body must be a JSON object');
  return body as Record<string, unknown>;
}
