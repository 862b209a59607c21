import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the reliability and security campaign at full size (the bounded
// size of the same files runs in `npm test`). Same global stack as the main suite.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    env: { RELIABILITY_SIZE: process.env.RELIABILITY_SIZE ?? 'full' },
    // One file at a time: the campaign measures the app, not two campaigns fighting for two cores.
    fileParallelism: false,
    testTimeout: 600_000,
    expect: { requireAssertions: true },
    hookTimeout: 120_000,
  },
});
