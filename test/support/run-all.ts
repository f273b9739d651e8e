/**
 * `npm test`: lint, type check, vitest, Playwright — every step runs even when an earlier one
 * fails — then one closing line `N passed, N failed` (see summary.ts). A failing lint or type
 * check, or a test runner that failed without writing its report, counts as one failure more.
 * Exits non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { report, reports, reportTally, summarize } from './summary.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'node_modules', '.bin');

interface Step {
  name: string;
  command: string[];
  /** The runner whose JSON report counts this step's failures. */
  runner?: keyof typeof reports;
}

const steps: Step[] = [
  { name: 'lint', command: ['biome', 'check', '.'] },
  { name: 'typecheck', command: ['tsc', '-p', '.'] },
  { name: 'vitest', command: ['vitest', 'run'], runner: 'vitest' },
  { name: 'playwright', command: ['playwright', 'test', '--pass-with-no-tests'], runner: 'playwright' },
];

for (const file of Object.values(reports)) rmSync(file, { force: true });

const failedSteps: string[] = [];
let uncounted = 0;
for (const step of steps) {
  const [command = '', ...args] = step.command;
  console.log(`\n=== ${step.name}: ${step.command.join(' ')}`);
  const result = spawnSync(join(bin, command), args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // node_modules/.bin first, so that `node` in child processes is the project's Node 24.
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (result.status === 0) continue;
  failedSteps.push(`${step.name} (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  // A runner that failed without reporting a failure (no report, or a crash after it) counts once.
  const tally = step.runner && reportTally(step.runner);
  if (!tally || tally.failed === 0) uncounted++;
}

console.log('');
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
process.exitCode = report(summarize(uncounted)) || (failedSteps.length > 0 ? 1 : 0);
