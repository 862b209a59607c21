import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { inject } from 'vitest';

const run = promisify(execFile);

export interface CapinfosReport {
  format: string;
  packets: number;
  fileBytes: number;
  /** capinfos' "Data size": the sum of the packets' original lengths. */
  dataBytes: number;
  /** The file header's snapshot length. */
  snapLength: number;
  /** First and last packet times, seconds since 1970 (NaN without packets). */
  firstPacket: number;
  lastPacket: number;
}

/** What capinfos (Wireshark) reads in a capture file: an independent check of what we wrote. */
export async function capinfos(path: string): Promise<CapinfosReport> {
  const { stdout } = await run('capinfos', [
    '-M',
    '-T',
    '-c',
    '-d',
    '-s',
    '-t',
    '-l',
    '-a',
    '-e',
    '-S',
    path,
  ]);
  const [header, row] = stdout
    .trim()
    .split('\n')
    .map((line) => line.split('\t'));
  const field = (name: string) => row?.[header?.indexOf(name) ?? -1] ?? '';
  return {
    format: field('File type'),
    packets: Number(field('Number of packets')),
    fileBytes: Number(field('File size (bytes)')),
    dataBytes: Number(field('Data size (bytes)')),
    snapLength: Number(field('Packet size limit')),
    firstPacket: Number(field('Start time')),
    lastPacket: Number(field('End time')),
  };
}

/** How many packets of the file match a Wireshark display filter. */
export async function countMatching(path: string, displayFilter: string): Promise<number> {
  const { stdout } = await run('tshark', [
    '-r',
    path,
    '-Y',
    displayFilter,
    '-T',
    'fields',
    '-e',
    'frame.number',
  ]);
  return stdout.split('\n').filter(Boolean).length;
}

/** Downloads the blob at a capture's storagePath (as the app would find it) into the run's scratch folder. */
export async function downloadCapture(
  storagePath: string,
  account: { accountName: string; accountKey: string },
): Promise<string> {
  const path = join(inject('offlineStack').scratchDir, `${randomUUID()}.cap`);
  await blobAt(storagePath, account).downloadToFile(path);
  return path;
}

export function blobAt(
  storagePath: string,
  account: { accountName: string; accountKey: string },
): BlobClient {
  return new BlobClient(storagePath, new StorageSharedKeyCredential(account.accountName, account.accountKey));
}
