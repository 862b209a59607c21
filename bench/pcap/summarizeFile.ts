/**
 * Child process of the benchmark: summarises one file and prints one JSON line with its own wall
 * time and peak RSS, so that the figures are those of the summarizer alone.
 */
import { createReadStream } from 'node:fs';
import { summarizeCapture } from '../../src/pcap';

async function main(): Promise<void> {
  const [file, highWaterMark = String(1024 * 1024)] = process.argv.slice(2);
  if (!file) throw new TypeError('usage: summarizeFile FILE [CHUNK_BYTES]');
  const started = performance.now();
  const summary = await summarizeCapture(createReadStream(file, { highWaterMark: Number(highWaterMark) }));
  const milliseconds = performance.now() - started;
  console.log(
    JSON.stringify({
      milliseconds,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      packets: summary.packets,
      complete: summary.file.complete,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
