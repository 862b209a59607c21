import { BlobServiceClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { RetriableActivityError, type ActivityResult } from '../../src/activities/activityResult';
import { createCapture } from '../../src/activities/createCapture';
import { deleteCapture } from '../../src/activities/deleteCapture';
import { observeCaptureBlob } from '../../src/activities/observeCaptureBlob';
import { createVerifyCaptureBlob, verifyCaptureBlob } from '../../src/activities/verifyCaptureBlob';
import { accountNameOf } from '../../src/azure/blobLocation';
import { linkToCaptureBlob } from '../../src/azure/downloadLink';
import { summarizeCapture } from '../../src/pcap';
import { useOfflineStack } from '../support/stack';
import { captureInput, refOf } from './support/captureInputs';
import { invocation } from './support/invocation';

const stack = useOfflineStack({ label: 'capture-blob' });
const ctx = () => invocation().context;

function value<T>(result: ActivityResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Runs a capture on the emulator to its time limit; the emulator uploads the file to Azurite. */
async function finishedCapture(vmName: string, instanceId: string): Promise<string> {
  const input = await captureInput(stack, vmName, { instanceId, options: { timeLimitSeconds: 20 } });
  const { capture } = value(await createCapture(input, ctx()));
  await stack.admin.advanceClock(21_000);
  value(await deleteCapture(refOf(input, capture.name), ctx()));
  return capture.storagePath!;
}

function container() {
  return BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient(
    'network-watcher-logs',
  );
}

afterEach(() => stack.admin.clearFaults());

describe('verifyCaptureBlob', () => {
  it('verifies a pcap capture, summarises it once and writes the summary next to it', async () => {
    const storagePath = await finishedCapture('vm-web-01', 'blob-pcap');
    const calls: number[] = [];
    const verify = createVerifyCaptureBlob({
      analyse: async (stream) => {
        calls.push(1);
        return summarizeCapture(stream);
      },
    });
    const first = value(await verify({ instanceId: 'blob-pcap', storagePath }, ctx()));
    expect(first).toMatchObject({
      blob: { url: storagePath, container: 'network-watcher-logs', accountName: stack.azurite.accountName },
      size: expect.any(Number),
      format: { format: 'pcap', byteOrder: 'little-endian' },
      summary: { packets: expect.any(Number), file: { format: 'pcap', complete: true } },
      summaryBlob: { name: expect.stringMatching(/packetcapture_\d{2}_\d{2}_\d{2}_\d{3}\.summary\.json$/) },
    });
    expect(first.size).toBeGreaterThan(24);
    expect(first.summary!.packets).toBeGreaterThan(0);

    const sidecar = await container().getBlobClient(first.summaryBlob!.name).downloadToBuffer();
    expect(JSON.parse(sidecar.toString('utf8'))).toEqual(first.summary);

    const again = value(await verify({ instanceId: 'blob-pcap', storagePath }, ctx()));
    expect(again.summary).toEqual(first.summary);
    expect(calls).toHaveLength(1);
  });

  it('recognises pcapng by its magic, whatever the .cap name says (registered activity)', async () => {
    const storagePath = await finishedCapture('vm-jump-01', 'blob-pcapng');
    expect(storagePath).toMatch(/\.cap$/);
    const result = value(await verifyCaptureBlob({ instanceId: 'blob-pcapng', storagePath }, ctx()));
    expect(result.format.format).toBe('pcapng');
    expect(result.summary?.file.format).toBe('pcapng');
  });

  it('throws a retriable BLOB_NOT_FOUND while the file is not uploaded yet', async () => {
    const input = await captureInput(stack, 'vm-web-02', {
      instanceId: 'blob-missing',
      options: { timeLimitSeconds: 600 },
    });
    const { capture } = value(await createCapture(input, ctx()));
    const error = await verifyCaptureBlob(
      { instanceId: 'blob-missing', storagePath: capture.storagePath! },
      ctx(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableActivityError);
    expect((error as Error).message).toMatch(/^\[BLOB_NOT_FOUND\]/);
    value(await deleteCapture(refOf(input, capture.name), ctx()));
  });

  it('reports a zero-byte capture file as BLOB_EMPTY', async () => {
    await stack.admin.addFaults({ capture: [{ kind: 'emptyFile', vm: 'vm-web-02', times: 1 }] });
    const storagePath = await finishedCapture('vm-web-02', 'blob-empty');
    const result = await verifyCaptureBlob({ instanceId: 'blob-empty', storagePath }, ctx());
    expect(result).toMatchObject({ ok: false, error: { code: 'BLOB_EMPTY' } });
  });

  it('reports a file that is no capture as BLOB_NOT_A_CAPTURE, quoting its first bytes', async () => {
    const blob = container().getBlockBlobClient('not-a-capture/packetcapture_00_00_00_000.cap');
    await container().createIfNotExists();
    await blob.upload('<html>oops</html>', 17);
    const result = await verifyCaptureBlob({ instanceId: 'blob-junk', storagePath: blob.url }, ctx());
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BLOB_NOT_A_CAPTURE', details: { firstBytes: expect.stringMatching(/^3c68746d6c3e/) } },
    });
  });

  it('refuses a storage path outside the capture account', async () => {
    const result = await verifyCaptureBlob(
      {
        instanceId: 'blob-elsewhere',
        storagePath: 'https://attacker.blob.core.windows.net/network-watcher-logs/x.cap',
      },
      ctx(),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'BLOB_LOCATION_INVALID' } });
  });
});

describe('linkToCaptureBlob', () => {
  it('returns a short-lived read-only link that downloads the capture', async () => {
    const storagePath = await finishedCapture('vm-web-01', 'link');
    const before = Date.now();
    const { location, link } = await linkToCaptureBlob(storagePath);
    expect(location.url).toBe(storagePath);
    expect(link.kind).toBe('accountKey');
    const expires = Date.parse(link.expiresOn);
    expect(expires - before).toBeGreaterThanOrEqual(60 * 60_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(60 * 60_000 + 5000);
    expect(new URL(link.url).searchParams.get('sp')).toBe('r');
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(24);
  });

  it('never signs a blob of another storage account', async () => {
    const storagePath = await finishedCapture('vm-web-02', 'link-elsewhere');
    const elsewhere = storagePath.replace(`/${accountNameOf(stack.storageAccountId)}/`, '/otheraccount/');
    await expect(linkToCaptureBlob(elsewhere)).rejects.toMatchObject({
      code: 'BLOB_LOCATION_INVALID',
      message: expect.stringContaining('not in the capture account'),
    });
  });
});

describe('observeCaptureBlob and a file still being written', () => {
  it('sees the file absent, then present, settled only once unchanged between two looks', async () => {
    const name = `growing/${Date.now()}.cap`;
    const storagePath = container().getBlobClient(name).url;
    const look = async (previous?: { size: number; etag: string }) =>
      value(
        await observeCaptureBlob(
          { instanceId: 'blob-grow', storagePath, ...(previous && { previous }) },
          ctx(),
        ),
      );
    expect(await look()).toEqual({ present: false });
    const blob = container().getBlockBlobClient(name);
    const pcapHeader = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
    await blob.upload(pcapHeader, pcapHeader.length);
    const first = await look();
    expect(first).toMatchObject({ present: true, size: 24, settled: false });
    if (!first.present) throw new Error('present');
    expect(await look({ size: first.size, etag: first.etag })).toMatchObject({ settled: true });

    // It grows: the next look is not settled, and a read of the version seen before is refused.
    const grown = Buffer.concat([pcapHeader, Buffer.alloc(16)]);
    await blob.upload(grown, grown.length);
    expect(await look({ size: first.size, etag: first.etag })).toMatchObject({ size: 40, settled: false });
    const stale = await verifyCaptureBlob({ instanceId: 'blob-grow', storagePath, etag: first.etag }, ctx());
    expect(stale).toMatchObject({ ok: false, error: { code: 'BLOB_CHANGED' } });
  });
});
