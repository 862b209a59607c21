import { isIP } from 'node:net';
import { AppError } from '../errors/AppError';
import type { CaptureFilter } from './types';

const PROTOCOLS = { tcp: 'TCP', udp: 'UDP', any: 'Any' } as const;
const ADDRESS_FIELDS = ['localIPAddress', 'remoteIPAddress'] as const;
const PORT_FIELDS = ['localPort', 'remotePort'] as const;
const KNOWN_FIELDS = new Set<string>(['protocol', ...ADDRESS_FIELDS, ...PORT_FIELDS]);

export interface FilterProblem {
  filter: number;
  field: string;
  value: unknown;
  problem: string;
}

/**
 * Checks filters against what Network Watcher accepts and returns them normalised (protocol
 * casing, no blank fields). Each address or port field is one value, one `a-b` range or a `;`
 * list; several ranges, or a range inside a list, are refused as the API documents. A malformed
 * value would otherwise be accepted by the service and silently capture nothing.
 * @throws AppError CAPTURE_FILTER_INVALID listing every problem.
 */
export function validateCaptureFilters(filters: readonly unknown[]): CaptureFilter[] {
  const problems: FilterProblem[] = [];
  const result = filters.map((raw, index) => normaliseFilter(raw, index, problems));
  if (problems.length > 0) {
    const lines = problems.map(
      (p) => `filter ${p.filter} ${p.field} ${JSON.stringify(p.value)}: ${p.problem}`,
    );
    throw new AppError(
      'CAPTURE_FILTER_INVALID',
      `Invalid capture filter. ${lines.join('; ')}. Use one value ("10.0.0.4", "443"), one range ("10.0.0.1-10.0.0.9", "80-85") or a list ("80;443;").`,
      { details: { problems } },
    );
  }
  return result;
}

function normaliseFilter(raw: unknown, index: number, problems: FilterProblem[]): CaptureFilter {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ filter: index, field: '(filter)', value: raw, problem: 'must be an object' });
    return {};
  }
  const record = raw as Record<string, unknown>;
  const filter: CaptureFilter = {};
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) {
      problems.push({ filter: index, field: key, value: record[key], problem: 'is not a filter field' });
    }
  }
  const protocol = record.protocol;
  if (protocol !== undefined && protocol !== null && protocol !== '') {
    const canonical = typeof protocol === 'string' ? PROTOCOLS[protocol.toLowerCase() as 'tcp'] : undefined;
    if (canonical) filter.protocol = canonical;
    else
      problems.push({
        filter: index,
        field: 'protocol',
        value: protocol,
        problem: 'must be TCP, UDP or Any',
      });
  }
  for (const field of ADDRESS_FIELDS) {
    const value = checkField(record[field], isAddress, compareAddresses, 'an IP address');
    if (typeof value === 'string') filter[field] = value;
    else if (value) problems.push({ filter: index, field, value: record[field], problem: value.problem });
  }
  for (const field of PORT_FIELDS) {
    const value = checkField(record[field], isPort, (a, b) => Number(a) - Number(b), 'a port (0-65535)');
    if (typeof value === 'string') filter[field] = value;
    else if (value) problems.push({ filter: index, field, value: record[field], problem: value.problem });
  }
  return filter;
}

/** Returns the trimmed value, undefined when unset, or the problem. */
function checkField(
  value: unknown,
  isItem: (item: string) => boolean,
  compare: (a: string, b: string) => number,
  what: string,
): string | undefined | { problem: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return { problem: 'must be a string' };
  const text = value.replace(/\s+/g, '');
  if (text === '') return undefined;
  const isList = text.includes(';');
  const rangeCount = text.split('-').length - 1;
  if (isList && rangeCount > 0)
    return { problem: 'mixes a range with a list, which Network Watcher does not support' };
  if (rangeCount > 1) return { problem: 'has more than one range, which Network Watcher does not support' };
  if (rangeCount === 1) {
    const [low = '', high = ''] = text.split('-');
    if (!isItem(low) || !isItem(high)) return { problem: `a range must join two of ${what}` };
    if (isIP(low) !== isIP(high)) return { problem: 'a range cannot mix IPv4 and IPv6' };
    if (compare(low, high) > 0) return { problem: 'the range starts after it ends' };
    return text;
  }
  const items = isList ? text.replace(/;$/, '').split(';') : [text];
  const bad = items.find((item) => !isItem(item));
  if (bad !== undefined) return { problem: `${JSON.stringify(bad)} is not ${what}` };
  // Network Watcher documents lists with a trailing ';' ("80;443;").
  return isList ? `${items.join(';')};` : text;
}

function isAddress(item: string): boolean {
  return isIP(item) !== 0;
}

function isPort(item: string): boolean {
  return /^\d{1,5}$/.test(item) && Number(item) <= 65535;
}

function compareAddresses(a: string, b: string): number {
  const key = (ip: string) => (isIP(ip) === 4 ? ipv4Number(ip) : ipv6Number(ip));
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function ipv4Number(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(octet), 0n);
}

function ipv6Number(ip: string): bigint {
  const [head = '', tail = ''] = ip.split('::');
  const parts = (s: string) => (s ? s.split(':') : []);
  const toGroups = (list: string[]) =>
    list.flatMap((group) => {
      if (!group.includes('.')) return [group];
      const v4 = ipv4Number(group);
      return [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    });
  const left = toGroups(parts(head));
  const right = toGroups(parts(tail));
  const middle = ip.includes('::') ? Array<string>(8 - left.length - right.length).fill('0') : [];
  return [...left, ...middle, ...right].reduce((acc, group) => (acc << 16n) + BigInt(`0x${group}`), 0n);
}
