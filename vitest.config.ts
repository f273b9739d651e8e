import { defineConfig } from 'vitest/config';

/**
 * One run for unit, integration and generated path tests: they share one throw-away database and
 * one Redis key prefix made by the global setup (see test/support/global-setup.ts).
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/paths/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Integration tests hash passwords with argon2 and wait for real emails on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
