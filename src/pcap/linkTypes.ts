/** The LINKTYPE_* values the decoder understands (tcpdump.org link-layer header types). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  [LINKTYPE.NULL]: 'null/loopback',
  [LINKTYPE.ETHERNET]: 'ethernet',
  [LINKTYPE.RAW]: 'raw-ip',
  [LINKTYPE.LINUX_SLL]: 'linux-sll',
  [LINKTYPE.IPV4]: 'ipv4',
  [LINKTYPE.IPV6]: 'ipv6',
  [LINKTYPE.LINUX_SLL2]: 'linux-sll2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `linktype-${linkType}`;
}
