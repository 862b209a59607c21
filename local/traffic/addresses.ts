/** IP address text <-> bytes, for the synthetic traffic (strict: malformed text is a caller bug). */
import { ipv6Text } from '../../src/pcap/addressText';

export function parseIPv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4) throw new TypeError(`not an IPv4 address: ${text}`);
  const bytes = new Uint8Array(4);
  parts.forEach((part, i) => {
    const value = Number(part);
    if (!/^\d{1,3}$/.test(part) || value > 255) throw new TypeError(`not an IPv4 address: ${text}`);
    bytes[i] = value;
  });
  return bytes;
}

export function parseIPv6(text: string): Uint8Array {
  const halves = text.split('::');
  if (halves.length > 2) throw new TypeError(`not an IPv6 address: ${text}`);
  const groups = (half: string | undefined): number[] =>
    half
      ? half.split(':').map((g) => {
          if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new TypeError(`not an IPv6 address: ${text}`);
          return parseInt(g, 16);
        })
      : [];
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) {
    throw new TypeError(`not an IPv6 address: ${text}`);
  }
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

export function parseIp(text: string): Uint8Array {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

/** RFC 5952 text form (lower case, longest zero run compressed). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new TypeError(`an IP address has 4 or 16 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return ipv6Text([0, 4, 8, 12].map((offset) => view.getUint32(offset)));
}
