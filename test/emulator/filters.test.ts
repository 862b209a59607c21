import { describe, expect, it } from 'vitest';
import { filterPredicate, normalizeFilters, type FlowLike } from '../../local/emulator/filters';

const VM = '10.1.0.4';
const out = (dstIp: string, dstPort: number, protocol: FlowLike['protocol'] = 'TCP'): FlowLike => ({
  protocol,
  srcIp: VM,
  dstIp,
  srcPort: 50123,
  dstPort,
});
const inbound = (srcIp: string, dstPort: number, protocol: FlowLike['protocol'] = 'TCP'): FlowLike => ({
  protocol,
  srcIp,
  dstIp: VM,
  srcPort: 40000,
  dstPort,
});
const accepts = (filters: object[], flow: FlowLike) => filterPredicate(normalizeFilters(filters), [VM])(flow);

describe('Network Watcher filter semantics', () => {
  it('no filter keeps everything, ICMP included', () => {
    expect(accepts([], out('20.60.1.1', 0, 'ICMP'))).toBe(true);
  });

  it('matches local and remote by the VM side, whatever the packet direction', () => {
    const filter = [{ localPort: '22', remoteIPAddress: '203.0.113.7' }];
    expect(accepts(filter, inbound('203.0.113.7', 22))).toBe(true);
    expect(
      accepts(filter, {
        ...inbound('203.0.113.7', 22),
        srcIp: VM,
        dstIp: '203.0.113.7',
        srcPort: 22,
        dstPort: 40000,
      }),
    ).toBe(true);
    expect(accepts(filter, inbound('203.0.113.8', 22))).toBe(false);
    expect(accepts(filter, out('203.0.113.7', 22))).toBe(false);
  });

  it('single values, one range and lists, for addresses and ports', () => {
    expect(accepts([{ remotePort: '80-85' }], out('1.2.3.4', 85))).toBe(true);
    expect(accepts([{ remotePort: '80-85' }], out('1.2.3.4', 86))).toBe(false);
    expect(accepts([{ remotePort: '80;443;' }], out('1.2.3.4', 443))).toBe(true);
    expect(accepts([{ remotePort: '80;443;' }], out('1.2.3.4', 8443))).toBe(false);
    expect(accepts([{ remoteIPAddress: '20.60.0.0-20.60.255.255' }], out('20.60.200.3', 443))).toBe(true);
    expect(accepts([{ remoteIPAddress: '20.60.0.0-20.60.255.255' }], out('20.61.0.1', 443))).toBe(false);
    expect(accepts([{ remoteIPAddress: '2603:1030::1;20.60.1.1' }], out('2603:1030::1', 443))).toBe(true);
  });

  it('protocol TCP/UDP/Any; a port filter never matches ICMP', () => {
    expect(accepts([{ protocol: 'udp' }], out('168.63.129.16', 53, 'UDP'))).toBe(true);
    expect(accepts([{ protocol: 'UDP' }], out('1.1.1.1', 443))).toBe(false);
    expect(accepts([{ protocol: 'Any' }], out('1.1.1.1', 0, 'ICMP'))).toBe(true);
    expect(accepts([{ remotePort: '0-65535' }], out('1.1.1.1', 0, 'ICMP'))).toBe(false);
    expect(normalizeFilters([{ protocol: 'tcp' }])).toEqual([{ protocol: 'TCP' }]);
  });

  it('filters are OR-ed, fields inside one filter AND-ed', () => {
    const filters = [
      { protocol: 'TCP', remotePort: '443' },
      { protocol: 'UDP', remotePort: '53' },
    ];
    expect(accepts(filters, out('1.1.1.1', 443))).toBe(true);
    expect(accepts(filters, out('1.1.1.1', 53, 'UDP'))).toBe(true);
    expect(accepts(filters, out('1.1.1.1', 53))).toBe(false);
  });

  it("the VM's derived private IPv6 side is local against public peers", () => {
    const v6: FlowLike = {
      protocol: 'TCP',
      srcIp: 'fd00:db8:0:1::4',
      dstIp: '2603:1030:20c::1',
      srcPort: 50000,
      dstPort: 443,
    };
    expect(accepts([{ remotePort: '443' }], v6)).toBe(true);
    expect(accepts([{ localPort: '443' }], v6)).toBe(false);
  });

  it('malformed values are accepted and match nothing; wrong shapes are refused', () => {
    expect(accepts([{ remoteIPAddress: '1.1.1.1-255.255.255' }], out('8.8.8.8', 53))).toBe(false);
    expect(accepts([{ remotePort: 'http' }], out('8.8.8.8', 80))).toBe(false);
    expect(accepts([{ remoteIPAddress: '10.0.0.9-10.0.0.1' }], out('10.0.0.5', 80))).toBe(false);
    expect(() => normalizeFilters([{ remotePort: '80-90;443' }])).toThrow(/range inside a list/);
    expect(() => normalizeFilters([{ remotePort: '1-2-3' }])).toThrow(/more than one range/);
    expect(() => normalizeFilters([{ remotePort: 443 }])).toThrow(/must be a string/);
    expect(() => normalizeFilters({})).toThrow(/must be an array/);
  });
});
