import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Azurite and one Network Watcher emulator for the whole run; files run in parallel workers
    // and isolate themselves through emulator namespaces (test/support/stack.ts).
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
