/** Minimal DNS messages (one question, optionally one answer) for the synthetic resolver traffic. */

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) {
    if (label.length === 0 || label.length > 63) throw new TypeError(`bad DNS label in ${name}`);
    out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0)));
  }
  out.push(0);
  return out;
}

export interface DnsQuestion {
  id: number;
  name: string;
  /** 1 = A, 28 = AAAA */
  type: 1 | 28;
}

export function dnsQuery(q: DnsQuestion): Uint8Array {
  return Uint8Array.from([
    q.id >> 8,
    q.id & 0xff,
    0x01, // recursion desired
    0x00,
    0,
    1, // one question
    0,
    0,
    0,
    0,
    0,
    0,
    ...encodeName(q.name),
    0,
    q.type,
    0,
    1, // class IN
  ]);
}

/** The answer to `q`: the question echoed and one record pointing back at its name (offset 12). */
export function dnsAnswer(q: DnsQuestion, address: Uint8Array, ttlSeconds: number): Uint8Array {
  const expected = q.type === 1 ? 4 : 16;
  if (address.length !== expected) throw new TypeError(`answer to type ${q.type} needs ${expected} bytes`);
  return Uint8Array.from([
    q.id >> 8,
    q.id & 0xff,
    0x81, // response, recursion desired
    0x80, // recursion available, no error
    0,
    1,
    0,
    1, // one answer
    0,
    0,
    0,
    0,
    ...encodeName(q.name),
    0,
    q.type,
    0,
    1,
    0xc0,
    0x0c,
    0,
    q.type,
    0,
    1,
    (ttlSeconds >>> 24) & 0xff,
    (ttlSeconds >>> 16) & 0xff,
    (ttlSeconds >>> 8) & 0xff,
    ttlSeconds & 0xff,
    0,
    address.length,
    ...address,
  ]);
}
