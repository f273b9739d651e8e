/**
 * `npm test`'s closing line counts what went wrong outside the tests too: run-all with fake steps
 * (small Node programs) in place of the environment check and the test runners.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSteps, type Step } from '../support/run-all.ts';

const dir = mkdtempSync(join(tmpdir(), 'zairyu-run-all-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = { vitest: join(dir, 'vitest.json'), playwright: join(dir, 'playwright.json') };

/** A step that runs `code` in Node; `report`, if given, is what it writes as vitest's report. */
function fake(name: string, code: string, extra: Partial<Step> = {}): Step {
  return { name, command: [process.execPath, '-e', code], ...extra };
}
const vitestReport = (passed: number, failed = 0) =>
  JSON.stringify({
    success: failed === 0,
    testResults: [
      {
        status: failed === 0 ? 'passed' : 'failed',
        assertionResults: [
          ...Array.from({ length: passed }, () => ({ status: 'passed' })),
          ...Array.from({ length: failed }, () => ({ status: 'failed' })),
        ],
      },
    ],
  });
const writes = (report: string, exit = 0) =>
  `require('node:fs').writeFileSync(${JSON.stringify(files.vitest)}, ${JSON.stringify(report)}); process.exit(${exit})`;

const environmentOk = fake('environment', '', { environment: true });
const run = (steps: Step[]) => runSteps(steps, { files, log: () => {} });

describe('run-all', () => {
  it('counts a runner that exits 0 without writing its report as a failure', () => {
    const outcome = run([environmentOk, fake('vitest', 'process.exit(0)', { runner: 'vitest' })]);
    expect(outcome.line).toBe('0 passed, 1 failed');
    expect(outcome.problems).toEqual(['vitest wrote no report (exit 0)']);
    expect(outcome.exitCode).toBe(1);
  });

  it('counts a runner whose report holds no test as a failure', () => {
    const outcome = run([environmentOk, fake('vitest', writes(vitestReport(0)), { runner: 'vitest' })]);
    expect(outcome.line).toBe('0 passed, 1 failed');
    expect(outcome.problems).toEqual(['vitest ran no test (exit 0)']);
  });

  it('counts a runner that fails with a report of passing tests once', () => {
    const outcome = run([environmentOk, fake('vitest', writes(vitestReport(3), 1), { runner: 'vitest' })]);
    expect(outcome.line).toBe('3 passed, 1 failed');
  });

  it('still closes with the line when the environment check fails, counting it and the runners it kept from running', () => {
    const outcome = run([
      fake('environment', 'process.exit(1)', { environment: true }),
      fake('lint', ''),
      fake('vitest', writes(vitestReport(2)), { runner: 'vitest' }),
      fake('playwright', '', { runner: 'playwright' }),
    ]);
    expect(outcome.line).toBe('0 passed, 3 failed');
    expect(outcome.problems).toEqual([
      'environment failed (exit 1)',
      'vitest not run: the environment check failed',
      'playwright not run: the environment check failed',
    ]);
    expect(outcome.exitCode).toBe(1);
  });

  it('counts a failing step without a report (lint) and passes when every step and test passed', () => {
    expect(run([environmentOk, fake('lint', 'process.exit(2)')]).line).toBe('0 passed, 1 failed');
    const passing = run([
      environmentOk,
      fake('lint', ''),
      fake('vitest', writes(vitestReport(2)), { runner: 'vitest' }),
    ]);
    expect(passing.line).toBe('2 passed, 0 failed');
    expect(passing.problems).toEqual([]);
    expect(passing.exitCode).toBe(0);
  });
});
