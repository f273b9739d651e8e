import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath, e2eMailPort, e2ePort } from './test/support/e2e-settings.ts';

const ci = Boolean(process.env.CI);

/**
 * Browser tests in Debian's Chromium against the real server, which Playwright starts:
 * test/support/e2e-server.ts (its own database, Redis prefix and SMTP server).
 */
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  forbidOnly: ci,
  retries: 0,
  // CI machines have 2 cores, shared with the server, PostgreSQL and Redis.
  workers: ci ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${e2ePort}`,
    browserName: 'chromium',
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  webServer: {
    command: 'npm exec -- node test/support/e2e-server.ts',
    // The mailbox answers only once the app listens.
    url: `http://127.0.0.1:${e2eMailPort}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
