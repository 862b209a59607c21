import { describe, expect, it } from 'vitest';
import { validateCaptureFilters } from '../../src/capture/filters';
import { AppError } from '../../src/errors/AppError';

function problemsOf(filters: unknown[]): string[] {
  try {
    validateCaptureFilters(filters);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CAPTURE_FILTER_INVALID');
    expect((error as AppError).retriable).toBe(false);
    return ((error as AppError).details.problems as { field: string; problem: string }[]).map(
      (p) => `${p.field}: ${p.problem}`,
    );
  }
  return [];
}

describe('validateCaptureFilters', () => {
  it('accepts the three documented forms and normalises protocol and lists', () => {
    expect(
      validateCaptureFilters([
        {
          protocol: 'tcp',
          localIPAddress: '10.0.0.4',
          remoteIPAddress: '1.1.1.1-255.255.255.255',
          localPort: '80-85',
          remotePort: '80;443',
        },
        { protocol: 'UDP', remoteIPAddress: '127.0.0.1;127.0.0.5;', remotePort: ' 53 ' },
        { protocol: 'any', localIPAddress: 'fd00::1-fd00::ff' },
        {},
      ]),
    ).toEqual([
      {
        protocol: 'TCP',
        localIPAddress: '10.0.0.4',
        remoteIPAddress: '1.1.1.1-255.255.255.255',
        localPort: '80-85',
        remotePort: '80;443;',
      },
      { protocol: 'UDP', remoteIPAddress: '127.0.0.1;127.0.0.5;', remotePort: '53' },
      { protocol: 'Any', localIPAddress: 'fd00::1-fd00::ff' },
      {},
    ]);
  });

  it('refuses the malformed range that silently captures nothing', () => {
    expect(problemsOf([{ remoteIPAddress: '1.1.1.1-255.255.255' }])).toEqual([
      'remoteIPAddress: a range must join two of an IP address',
    ]);
  });

  it('refuses several ranges, and a range inside a list', () => {
    expect(problemsOf([{ localPort: '80-85-90' }])).toEqual([
      'localPort: has more than one range, which Network Watcher does not support',
    ]);
    expect(problemsOf([{ remotePort: '80-85;443' }])).toEqual([
      'remotePort: mixes a range with a list, which Network Watcher does not support',
    ]);
  });

  it('refuses bad ports, reversed ranges, unknown fields and protocols, and reports them all at once', () => {
    const problems = problemsOf([
      { localPort: '70000', protocol: 'ICMP' },
      { remotePort: '443-80', remoteIPAddress: '10.0.0.9-10.0.0.1', port: '1' },
      'not an object',
    ]);
    expect(problems).toEqual([
      'protocol: must be TCP, UDP or Any',
      'localPort: "70000" is not a port (0-65535)',
      'port: is not a filter field',
      'remoteIPAddress: the range starts after it ends',
      'remotePort: the range starts after it ends',
      '(filter): must be an object',
    ]);
  });

  it('names the filter and field in the message, with the accepted forms', () => {
    expect(() => validateCaptureFilters([{}, { localIPAddress: '10.0.0.300' }])).toThrow(
      /filter 1 localIPAddress "10\.0\.0\.300": "10\.0\.0\.300" is not an IP address.*one range/,
    );
  });
});
