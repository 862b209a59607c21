import { isIP } from 'node:net';
import { parseIp } from '../traffic';
import { badRequest } from './armError';

/**
 * Network Watcher's 5-tuple filters: each address or port field holds a single value, one range
 * (`80-85`, `10.0.0.1-10.0.0.9`) or a `;` list (`80;443;`). Several ranges, or a range inside a
 * list, are refused as the service documents. Filters are OR-ed; fields within one are AND-ed.
 */
export interface CaptureFilterInput {
  protocol?: string;
  localIPAddress?: string;
  remoteIPAddress?: string;
  localPort?: string;
  remotePort?: string;
}

export interface FlowLike {
  protocol: 'TCP' | 'UDP' | 'ICMP';
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
}

interface Ip {
  v6: boolean;
  n: bigint;
}

type Matcher<T> = (value: T) => boolean;

interface CompiledFilter {
  protocol?: 'TCP' | 'UDP';
  localIp?: Matcher<Ip>;
  remoteIp?: Matcher<Ip>;
  localPort?: Matcher<number>;
  remotePort?: Matcher<number>;
}

const PROTOCOLS = { tcp: 'TCP', udp: 'UDP', any: 'Any' } as const;

/** Checks the filters as the service would; returns them with the protocol's canonical casing. */
export function normalizeFilters(filters: unknown): CaptureFilterInput[] {
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) throw badRequest('properties.filters must be an array of filters.');
  return filters.map((raw, i) => {
    const at = `properties.filters[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw badRequest(`${at} must be an object.`);
    const filter = raw as Record<string, unknown>;
    const out: CaptureFilterInput = {};
    for (const field of [
      'protocol',
      'localIPAddress',
      'remoteIPAddress',
      'localPort',
      'remotePort',
    ] as const) {
      const value = filter[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') throw badRequest(`${at}.${field} must be a string.`);
      out[field] = value;
    }
    if (out.protocol !== undefined) {
      const protocol = PROTOCOLS[out.protocol.toLowerCase() as keyof typeof PROTOCOLS];
      if (!protocol) throw badRequest(`${at}.protocol must be TCP, UDP or Any, got '${out.protocol}'.`);
      out.protocol = protocol;
    }
    compileFilter(out, at);
    return out;
  });
}

/** A predicate telling whether a packet passes the filters; `vmIps` decides which side is local. */
export function filterPredicate(filters: CaptureFilterInput[], vmIps: string[]): (flow: FlowLike) => boolean {
  if (filters.length === 0) return () => true;
  const compiled = filters.map((f) => compileFilter(f, 'filter'));
  const own = new Set(vmIps.map((ip) => ip.toLowerCase()));
  return (flow) => {
    const src = flow.srcIp.toLowerCase();
    const dst = flow.dstIp.toLowerCase();
    // The synthetic traffic gives an IPv4-only VM a private IPv6 address too; a private address
    // facing a public one is the VM's side.
    const localIsSource = own.has(src) || (!own.has(dst) && isPrivate(src) && !isPrivate(dst));
    const local = { ip: toIp(localIsSource ? src : dst), port: localIsSource ? flow.srcPort : flow.dstPort };
    const remote = { ip: toIp(localIsSource ? dst : src), port: localIsSource ? flow.dstPort : flow.srcPort };
    const hasPorts = flow.protocol !== 'ICMP';
    return compiled.some(
      (f) =>
        (f.protocol === undefined || f.protocol === flow.protocol) &&
        (f.localIp === undefined || f.localIp(local.ip)) &&
        (f.remoteIp === undefined || f.remoteIp(remote.ip)) &&
        (f.localPort === undefined || (hasPorts && f.localPort(local.port))) &&
        (f.remotePort === undefined || (hasPorts && f.remotePort(remote.port))),
    );
  };
}

function compileFilter(filter: CaptureFilterInput, at: string): CompiledFilter {
  const field = <T>(name: keyof CaptureFilterInput, parse: Parse<T>, compare: Compare<T>) => {
    const text = filter[name];
    return text === undefined || text.trim() === ''
      ? undefined
      : valueMatcher(text, `${at}.${name}`, parse, compare);
  };
  return {
    protocol: filter.protocol === 'TCP' || filter.protocol === 'UDP' ? filter.protocol : undefined,
    localIp: field('localIPAddress', parseIpValue, compareIp),
    remoteIp: field('remoteIPAddress', parseIpValue, compareIp),
    localPort: field('localPort', parsePort, comparePort),
    remotePort: field('remotePort', parsePort, comparePort),
  };
}

/** -1, 0, 1 like a sort comparator; undefined when the values cannot be compared (IPv4 vs IPv6). */
type Compare<T> = (a: T, b: T) => number | undefined;
/** The value, or undefined when the text is not a valid one. */
type Parse<T> = (text: string) => T | undefined;

const NEVER = () => false;

/**
 * The shape of the text (one value, one range, one list) is checked: a wrong shape is a 400. A value
 * that is not an address or port is accepted and matches nothing, as the service does: a filter
 * with `1.1.1.1-255.255.255` gives an empty capture (MicrosoftDocs/azure-docs#99171).
 */
function valueMatcher<T>(text: string, where: string, parse: Parse<T>, compare: Compare<T>): Matcher<T> {
  const value = text.trim();
  if (value.includes(';')) {
    const items = value.split(';').map((item) => item.trim());
    if (items[items.length - 1] === '') items.pop();
    if (items.some((item) => item.includes('-'))) {
      throw badRequest(`${where} '${text}': a range inside a list is not supported.`);
    }
    if (items.some((item) => item === '')) throw badRequest(`${where} '${text}': a list item is empty.`);
    const values = items.map(parse).filter((v): v is T => v !== undefined);
    return (candidate) => values.some((v) => compare(v, candidate) === 0);
  }
  if (value.includes('-')) {
    const bounds = value.split('-').map((bound) => bound.trim());
    if (bounds.length !== 2) throw badRequest(`${where} '${text}': more than one range is not supported.`);
    if (bounds.includes('')) throw badRequest(`${where} '${text}': a range needs a start and an end.`);
    const from = parse(bounds[0] as string);
    const to = parse(bounds[1] as string);
    if (from === undefined || to === undefined) return NEVER;
    return (candidate) => (compare(from, candidate) ?? 1) <= 0 && (compare(candidate, to) ?? 1) <= 0;
  }
  const single = parse(value);
  return single === undefined ? NEVER : (candidate) => compare(single, candidate) === 0;
}

function parsePort(text: string): number | undefined {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

function parseIpValue(text: string): Ip | undefined {
  return isIP(text) === 0 ? undefined : toIp(text);
}

function toIp(text: string): Ip {
  const bytes = parseIp(text);
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return { v6: bytes.length === 16, n };
}

const comparePort: Compare<number> = (a, b) => Math.sign(a - b);
const compareIp: Compare<Ip> = (a, b) => (a.v6 !== b.v6 ? undefined : a.n === b.n ? 0 : a.n < b.n ? -1 : 1);

function isPrivate(ip: string): boolean {
  if (ip.includes(':')) return /^f[cd]/i.test(ip);
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}
