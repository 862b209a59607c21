import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where each part of the campaign leaves its figures (JSON), for the README table: the folder in
 * RELIABILITY_FIGURES_DIR, or one under the system's temporary folder.
 */
export function writeFigures(part: string, figures: Record<string, unknown>): string {
  const dir = process.env.RELIABILITY_FIGURES_DIR ?? join(tmpdir(), 'alert-capture-reliability');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${part}.json`);
  writeFileSync(path, `${JSON.stringify(figures, null, 2)}\n`);
  // The full run prints them too; inside `npm test` the file is enough.
  if (process.env.RELIABILITY_SIZE === 'full') console.info(`${part} (${path}): ${JSON.stringify(figures)}`);
  return path;
}
