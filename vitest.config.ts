import { defineConfig } from 'vitest/config';

// Three projects: the integration suite on each database mode, and the browser tests.
// sqlite = the embedded default (SQLite, in-process jobs); mysql = services mode (MariaDB + Redis + Bull).
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'sqlite',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/setup/stock-invariants.ts'],
          env: { TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'mysql',
          include: ['test/integration/**/*.test.ts', 'test/services/**/*.test.ts'],
          setupFiles: ['test/setup/stock-invariants.ts'],
          env: { TEST_DB: 'mysql' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
