import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests run on embedded PGlite, or on PostgreSQL when
// SIMPUL_TEST_DATABASE_URL is set (see scripts/with-postgres.mjs). Browser tests: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bin/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
