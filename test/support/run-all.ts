/**
 * `npm test`: the environment check, lint, type check, vitest, Playwright — every step runs even
 * when an earlier one fails (the test runners only once the environment is there) — then one
 * closing line `N passed, N failed` (see summary.ts), printed whatever happened before it.
 *
 * The closing line counts, beside the runners' own failures, one failure for each of: a step that
 * failed without a test report saying so (lint, type check, the environment check, a runner that
 * crashed); a runner that wrote no report, whatever its exit code; a runner whose report holds no
 * test at all; a runner not run because the environment check failed. Exits non-zero when anything
 * failed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  exitCode,
  type ReportFiles,
  type Runner,
  reports,
  reportTally,
  summarize,
  summaryLine,
} from './summary.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'node_modules', '.bin');

export interface Step {
  name: string;
  /** The program and its arguments. */
  command: string[];
  /** The runner whose JSON report counts this step's tests. */
  runner?: Runner;
  /** The step that checks (and sets up) what the test runners need. */
  environment?: boolean;
}

export const steps: Step[] = [
  {
    name: 'environment',
    command: [process.execPath, join(root, 'test/support/ensure-env.ts')],
    environment: true,
  },
  { name: 'lint', command: [join(bin, 'biome'), 'check', '.'] },
  { name: 'typecheck', command: [join(bin, 'tsc'), '-p', '.'] },
  { name: 'vitest', command: [join(bin, 'vitest'), 'run'], runner: 'vitest' },
  { name: 'playwright', command: [join(bin, 'playwright'), 'test'], runner: 'playwright' },
];

export interface Outcome {
  passed: number;
  failed: number;
  /** Why each failure counted by run-all itself (not a failing test in a report) counts. */
  problems: string[];
  /** The closing line. */
  line: string;
  exitCode: number;
}

/** A runner's report, judged: the problem it has, if any, beside its failing tests. */
function reportProblem(
  step: Step & { runner: Runner },
  status: string,
  files: ReportFiles,
): string | undefined {
  const tally = reportTally(step.runner, files);
  if (!tally) return `${step.name} wrote no report (${status})`;
  if (tally.passed + tally.failed === 0) return `${step.name} ran no test (${status})`;
  if (status !== 'exit 0' && tally.failed === 0)
    return `${step.name} failed with no failing test in its report (${status})`;
  return undefined;
}

export function runSteps(
  list: Step[],
  options: { cwd?: string; files?: ReportFiles; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Outcome {
  const files = options.files ?? reports;
  const log = options.log ?? console.log;
  for (const file of Object.values(files)) rmSync(file, { force: true });
  const problems: string[] = [];
  let environmentFailed = false;
  for (const step of list) {
    if (step.runner && environmentFailed) {
      problems.push(`${step.name} not run: the environment check failed`);
      continue;
    }
    const [program = '', ...args] = step.command;
    log(`\n=== ${step.name}: ${step.command.join(' ')}`);
    const result = spawnSync(program, args, {
      cwd: options.cwd ?? root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // node_modules/.bin first, so that `node` in child processes is the project's Node 24.
      env: { ...(options.env ?? process.env), PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    const status = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    const problem = step.runner
      ? reportProblem({ ...step, runner: step.runner }, status, files)
      : status === 'exit 0'
        ? undefined
        : `${step.name} failed (${status})`;
    if (problem) problems.push(problem);
    if (step.environment && status !== 'exit 0') environmentFailed = true;
  }
  const tally = summarize(problems.length, files);
  return { ...tally, problems, line: summaryLine(tally), exitCode: exitCode(tally) };
}

if (import.meta.main) {
  const outcome = runSteps(steps);
  console.log('');
  for (const problem of outcome.problems) console.log(`counted as failed: ${problem}`);
  console.log(outcome.line);
  process.exitCode = outcome.exitCode;
}
