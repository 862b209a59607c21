/**
 * Vitest global setup: the infra tests read dist/infra/ (compiled templates and engine snapshots,
 * `npm run infra:build`). When it is missing or was built from other inputs, build it here with
 * the same pinned Bicep CLI, so that `npm test` alone works on a fresh clone.
 */
import { buildInfra, isInfraBuildCurrent } from '../../scripts/infra/build';

export default function setup(): void {
  if (isInfraBuildCurrent()) return;
  console.log('dist/infra/ is missing or out of date: running the infra build (npm run infra:build)');
  buildInfra((line) => console.log(`  ${line}`));
}
