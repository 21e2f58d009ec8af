import { defineConfig } from 'vitest/config';

// Three projects: the integration suite on each database mode, and the browser tests.
// sqlite = the embedded default (SQLite, in-process jobs); mysql = services mode (MariaDB + Redis + Bull).
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    // Vitest's default is one fewer worker than CPUs: one on a 2-CPU CI machine, where the suite mostly
    // waits on MariaDB, Redis, HTTP and Chromium. Three files at a time (TEST_WORKERS to change it).
    maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'sqlite',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/support/setup.ts'],
          env: { TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'mysql',
          include: ['test/integration/**/*.test.ts', 'test/services/**/*.test.ts'],
          setupFiles: ['test/support/setup.ts'],
          env: { TEST_DB: 'mysql' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
