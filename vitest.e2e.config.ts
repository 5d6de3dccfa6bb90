import { defineConfig } from 'vitest/config';

// Browser tests: a real server (child process, fresh data folder) driven by Chromium through
// playwright-core. Run with `npm run test:e2e` (scripts/e2e.mjs builds the web app first).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // One user journey: later steps build on earlier ones.
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});
