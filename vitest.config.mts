import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Azurite and one Network Watcher emulator for the whole run; files run in parallel workers
    // and isolate themselves through emulator namespaces (test/support/stack.ts).
    // test/setup/infra.ts builds dist/infra/ (Bicep CLI from NuGet) when it is missing or stale.
    globalSetup: ['test/setup/global.ts', 'test/setup/infra.ts'],
    testTimeout: 30_000,
    // A test that asserts nothing passes whatever the code does: each one must call expect.
    expect: { requireAssertions: true },
    hookTimeout: 60_000,
  },
});
