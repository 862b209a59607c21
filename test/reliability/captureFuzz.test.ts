/**
 * The capture reader over mutated files: structure-aware damage (length and count fields, link
 * types, packet headers, cuts, inserted junk, files spliced together, bit flips) to pcap and
 * multi-section pcapng seeds. The summarizer must never throw or hang, must give the same summary
 * whatever the chunking, and its summary must hold together. Through the verifyCaptureBlob
 * activity against Azurite, a damaged file must end in a summary or a permanent, catalogued
 * refusal: never a retriable error that would have the run retry a file that will not change.
 */
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivityResult } from '../../src/activities/activityResult';
import { verifyCaptureBlob, type VerifyCaptureBlobOutput } from '../../src/activities/verifyCaptureBlob';
import { summarizeCapture, type CaptureSummary } from '../../src/pcap';
import { invocation } from '../activities/support/invocation';
import { chunked } from '../pcap/helpers/captures';
import { useOfflineStack } from '../support/stack';
import { campaignSize } from './support/campaignSize';
import { mutatedCapture, SEED_CAPTURES } from './support/captureMutations';
import { writeFigures } from './support/figures';

const size = campaignSize();
const SEED = 8_675_309;
const stack = useOfflineStack({ label: 'reliability-capture-fuzz' });

/** Reading is linear: far below this per file, whatever the damage (a loop would blow past it). */
const MS_PER_FILE = 1_500;

async function summarize(
  bytes: Uint8Array,
  chunkSize: number,
): Promise<{ summary: CaptureSummary; ms: number }> {
  const started = performance.now();
  const summary = await summarizeCapture(chunked(bytes, chunkSize));
  return { summary, ms: performance.now() - started };
}

/** What any summary of any input must satisfy. */
function expectCoherent(summary: CaptureSummary, input: Uint8Array, label: string): void {
  const text = JSON.stringify(summary, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`non-finite number in ${label}`);
    return value;
  });
  expect(JSON.parse(text), label).toEqual(summary);
  const { file } = summary;
  expect(file.bytesRead, label).toBeLessThanOrEqual(input.length);
  expect(summary.packets, label).toBeLessThanOrEqual(file.records);
  expect(summary.bytesCaptured, label).toBeLessThanOrEqual(file.bytesRead);
  expect(summary.durationSeconds, label).toBeGreaterThanOrEqual(0);
  expect(file.complete && file.malformed !== null, label).toBe(false);
  expect(
    summary.timeline.packets.reduce((sum, n) => sum + n, 0),
    label,
  ).toBe(summary.packets - summary.packetsWithoutTimestamp);
  for (const talker of summary.topTalkers.byBytes.entries) {
    expect(talker.bytes - talker.error, label).toBeLessThanOrEqual(summary.bytesOnWire);
  }
}

describe(`capture reader over mutated files (${size.fuzzFiles} files)`, () => {
  it('seeds read completely (so that damage, not the seed, is what the fuzzer tests)', async () => {
    for (const seed of SEED_CAPTURES) {
      const { summary } = await summarize(seed.bytes, 65_536);
      expect(summary.file, seed.name).toMatchObject({ complete: true, malformed: null });
      expect(summary.packets, seed.name).toBeGreaterThan(40);
    }
  });

  it('never throws or hangs, gives one summary whatever the chunking, and the summary holds together', async () => {
    let malformed = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(mutatedCapture(), fc.integer({ min: 1, max: 4096 }), async (capture, chunkSize) => {
        const label = `${capture.seed}: ${capture.mutations.join('; ')}`;
        const whole = await summarize(capture.bytes, Math.max(1, capture.bytes.length));
        const pieces = await summarize(capture.bytes, chunkSize);
        slowest = Math.max(slowest, whole.ms, pieces.ms);
        expect(whole.ms, label).toBeLessThan(MS_PER_FILE);
        expect(pieces.summary, label).toEqual(whole.summary);
        expectCoherent(whole.summary, capture.bytes, label);
        if (whole.summary.file.malformed) malformed++;
      }),
      { numRuns: size.fuzzFiles, seed: SEED },
    );
    expect(malformed, 'the mutations must damage most files').toBeGreaterThan(size.fuzzFiles / 3);
    writeFigures(`fuzz-capture-${size.name}`, {
      files: size.fuzzFiles,
      malformed,
      slowestMs: Math.round(slowest),
    });
  }, 300_000);

  it('verifyCaptureBlob ends every damaged file in a summary or a permanent refusal, never a retry', async () => {
    const container = BlobServiceClient.fromConnectionString(
      stack.azurite.connectionString,
    ).getContainerClient('network-watcher-logs');
    await container.createIfNotExists();
    const files = fc.sample(mutatedCapture(), { numRuns: Math.ceil(size.fuzzFiles / 10), seed: SEED + 1 });
    const outcomes: Record<string, number> = {};
    for (const [i, capture] of files.entries()) {
      const label = `${capture.seed}: ${capture.mutations.join('; ')}`;
      const blob = container.getBlockBlobClient(`fuzz/${stack.namespace.name}/${i}.cap`);
      await blob.uploadData(capture.bytes);
      let result: ActivityResult<VerifyCaptureBlobOutput>;
      try {
        result = await verifyCaptureBlob(
          { instanceId: `fuzz-${i}`, storagePath: blob.url },
          invocation().context,
        );
      } catch (error) {
        throw new Error(`${label}: verifyCaptureBlob threw ${String(error)}`, { cause: error });
      }
      const key = result.ok ? (result.value.summary ? 'summary' : 'no summary') : result.error.code;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (result.ok) {
        expect(result.value.summary, label).toEqual(await summarizeCapture(Readable.from([capture.bytes])));
      } else {
        expect(['BLOB_EMPTY', 'BLOB_NOT_A_CAPTURE'], `${label}: ${result.error.message}`).toContain(
          result.error.code,
        );
      }
    }
    expect(outcomes.summary).toBeGreaterThan(0);
    expect(outcomes['no summary']).toBeUndefined();
    writeFigures(`fuzz-verify-${size.name}`, { files: files.length, outcomes });
  }, 300_000);
});
