/**
 * Reads test-results/vitest.json and test-results/playwright.json (whichever exist) and prints one
 * line, `N passed, N failed`. Exits non-zero when anything failed or when no test ran.
 *
 * Project rule: a skipped test is a failing test. Skipped, todo and pending tests (vitest) and
 * skipped and flaky tests (Playwright: flaky means it failed at least once) count as failed, and
 * so does an error outside any test (a test file that does not load, a global setup that throws,
 * a web server that does not start).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const resultsDir = join(import.meta.dirname, '..', '..', 'test-results');
export const reports = {
  vitest: join(resultsDir, 'vitest.json'),
  playwright: join(resultsDir, 'playwright.json'),
};
export type Runner = keyof typeof reports;
/** Where each runner writes its JSON report. */
export type ReportFiles = Record<Runner, string>;

export interface Tally {
  passed: number;
  failed: number;
}

interface VitestReport {
  success: boolean;
  testResults: { status: string; assertionResults: { status: string }[] }[];
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  errors?: unknown[];
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

export function vitestTally(report: VitestReport): Tally {
  const tally = { passed: 0, failed: 0 };
  for (const file of report.testResults) {
    let fileFailures = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') tally.passed++;
      else fileFailures++;
    }
    // A file that failed with no failing test in it: it did not load, or a hook threw.
    if (file.status === 'failed' && fileFailures === 0) fileFailures = 1;
    tally.failed += fileFailures;
  }
  // The run failed with every file passing: an unhandled error or a failing global teardown.
  if (!report.success && tally.failed === 0) tally.failed = 1;
  return tally;
}

export function playwrightTally(report: PlaywrightReport): Tally {
  const { expected, unexpected, skipped, flaky } = report.stats;
  return { passed: expected, failed: unexpected + skipped + flaky + (report.errors?.length ?? 0) };
}

/** The tally of one runner's report, or undefined when it wrote none. */
export function reportTally(runner: Runner, files: ReportFiles = reports): Tally | undefined {
  if (runner === 'vitest') {
    const vitest = readJson<VitestReport>(files.vitest);
    return vitest && vitestTally(vitest);
  }
  const playwright = readJson<PlaywrightReport>(files.playwright);
  return playwright && playwrightTally(playwright);
}

/** The tally of every report present, plus `extraFailed` failures found by the caller. */
export function summarize(extraFailed = 0, files: ReportFiles = reports): Tally {
  const total = { passed: 0, failed: extraFailed };
  for (const runner of ['vitest', 'playwright'] as const) {
    const tally = reportTally(runner, files);
    total.passed += tally?.passed ?? 0;
    total.failed += tally?.failed ?? 0;
  }
  return total;
}

/** The closing line. */
export function summaryLine(tally: Tally): string {
  return `${tally.passed} passed, ${tally.failed} failed`;
}

/** Prints the summary line; returns the exit code (0 only when tests ran and none failed). */
export function report(tally: Tally): number {
  console.log(summaryLine(tally));
  return exitCode(tally);
}

export function exitCode(tally: Tally): number {
  return tally.failed === 0 && tally.passed > 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = report(summarize());
