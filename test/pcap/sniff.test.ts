import { describe, expect, it } from 'vitest';
import { sniffCaptureFormat, SNIFF_BYTES } from '../../src/pcap';
import { captureBytes, trafficFrames } from './helpers/captures';

const frames = trafficFrames({ durationSeconds: 1, packetsPerSecond: 5 });
const head = (bytes: Uint8Array) => bytes.subarray(0, SNIFF_BYTES);

describe('sniffCaptureFormat', () => {
  it.each([
    [
      { format: 'pcap' },
      {
        format: 'pcap',
        byteOrder: 'little-endian',
        timestampResolution: 'microseconds',
        version: '2.4',
        linkType: 1,
        snapLength: 262144,
      },
    ],
    [
      { format: 'pcap', nanosecond: true, bigEndian: true, linkType: 113, snapLength: 128 },
      {
        format: 'pcap',
        byteOrder: 'big-endian',
        timestampResolution: 'nanoseconds',
        version: '2.4',
        linkType: 113,
        snapLength: 128,
      },
    ],
    [{ format: 'pcapng' }, { format: 'pcapng', byteOrder: 'little-endian', version: '1.0' }],
    [
      { format: 'pcapng', bigEndian: true },
      { format: 'pcapng', byteOrder: 'big-endian', version: '1.0' },
    ],
  ] as const)('recognises %o', (options, expected) => {
    expect(sniffCaptureFormat(head(captureBytes(frames, options)))).toEqual(expected);
  });

  it('recognises a pcap file from its magic alone and pcapng from 12 bytes', () => {
    expect(sniffCaptureFormat(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1))).toEqual({
      format: 'pcap',
      byteOrder: 'little-endian',
      timestampResolution: 'microseconds',
    });
    expect(sniffCaptureFormat(captureBytes(frames, { format: 'pcapng' }).subarray(0, 12))).toMatchObject({
      format: 'pcapng',
    });
  });

  it('refuses anything else', () => {
    const text = new TextEncoder().encode('<?xml version="1.0"?><Error>BlobNotFound</Error>');
    expect(sniffCaptureFormat(text)).toBeUndefined();
    expect(sniffCaptureFormat(new Uint8Array(0))).toBeUndefined();
    expect(
      sniffCaptureFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4)),
    ).toBeUndefined();
    expect(() => sniffCaptureFormat('pcap' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
