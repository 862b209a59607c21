import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { summarizeCapture } from '../../src/pcap';
import { captureBytes, chunked, trafficFrames } from './helpers/captures';

describe('a file damaged mid-way, read in any chunking', () => {
  it('gives the same summary, bytes read included: up to where the damage stopped the reader', async () => {
    const bytes = captureBytes(trafficFrames({ durationSeconds: 1, packetsPerSecond: 100 }), {
      format: 'pcap',
    });
    // The third record claims a length no packet record may have.
    const third =
      24 +
      (16 + bytes.readUInt32LE(24 + 8)) +
      (16 + bytes.readUInt32LE(24 + 16 + bytes.readUInt32LE(32) + 8));
    bytes.writeUInt32LE(0xfffffff0, third + 8);
    const whole = await summarizeCapture(Readable.from([bytes]));
    expect(whole.file.malformed).toMatchObject({ offset: third, record: 3 });
    expect(whole.file.bytesRead).toBe(third);
    for (const size of [1, 7, 64, 4096]) {
      expect(await summarizeCapture(chunked(bytes, size)), `chunks of ${size}`).toEqual(whole);
    }
  });
});
