/**
 * The benchmark's verdicts: each budget line of the issue, at its limit and just past it, on the
 * newest committed run's real figures; and the summary that carries them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchExitCode, budgets, markdown, type Results, runName } from '../../bench/report.ts';
import { nodeFlagsOf, startFlags } from '../../bench/server.ts';

const resultsDir = join(import.meta.dirname, '..', '..', 'bench', 'results');
/** Runs are named by their start time (`2026-11-29T1012Z`); the earliest ones by their day. */
const newest = readdirSync(resultsDir)
  .filter((name) => /^\d{4}-\d{2}-\d{2}(T\d{4}(\d{2})?Z)?\.json$/.test(name))
  .sort()
  .at(-1) as string;
const stored = JSON.parse(readFileSync(join(resultsDir, newest), 'utf8')) as Results;

/** A copy of the stored run with one figure changed. */
function withFigure(change: (results: Results) => void): Results {
  const copy = structuredClone(stored);
  change(copy);
  return copy;
}

const verdict = (results: Results, name: string) => budgets(results).find((b) => b.name.includes(name))?.pass;

describe('bench budgets', () => {
  it('give the verdicts stored with the newest run', () => {
    expect(budgets(stored)).toEqual(stored.budgets);
  });

  const lines: [string, (r: Results, past: boolean) => void][] = [
    ['Transitions throughput', (r, past) => (r.transitions.ratio.throughput = past ? 0.849 : 0.85)],
    ['Transitions p99 at', (r, past) => (r.transitions.ratio.p99 = past ? 1.501 : 1.5)],
    [
      'vs the conventional stack',
      (r, past) => (r.transitions.versusConventional.throughput = past ? 1.199 : 1.2),
    ],
    [
      'visitor sessions',
      (r, past) => ((r.memory.keys.visitor as { bytes: number }).bytes = past ? 1537 : 1536),
    ],
    [
      'Redis per session (signed in)',
      (r, past) => ((r.memory.keys.signedIn as { bytes: number }).bytes = past ? 1537 : 1536),
    ],
    ['Logins per core', (r, past) => (r.logins.perCore = past ? 29.9 : 30)],
    ['during a login storm', (r, past) => (r.mixed.p99Ratio = past ? 2.01 : 2)],
    ['Mail p95', (r, past) => (r.mail.latency.p95 = past ? 1001 : 1000)],
    ['Mail lost', (r, past) => (r.mail.lost = past ? 1 : 0)],
    [
      'Wrong answers',
      (r, past) => {
        for (const run of [
          r.transitions.zairyu,
          r.transitions.baseline,
          r.transitions.conventional,
          r.logins,
          r.mixed.transitions,
          r.mixed.logins,
          r.memory.visitors,
        ])
          run.errors = 0;
        r.transitions.conventional.errors = past ? 1 : 0;
      },
    ],
  ];
  it.each(lines)('%s: PASS at the limit, FAIL past it, and npm run bench exits 1 then', (name, set) => {
    expect(
      verdict(
        withFigure((r) => set(r, false)),
        name,
      ),
    ).toBe(true);
    const past = withFigure((r) => set(r, true));
    expect(verdict(past, name)).toBe(false);
    expect(benchExitCode(budgets(past))).toBe(1);
  });

  it('exit 0 only when every line passes', () => {
    const passing = budgets(stored).map((budget) => ({ ...budget, pass: true }));
    expect(benchExitCode(passing)).toBe(0);
    expect(benchExitCode(stored.budgets)).toBe(stored.budgets.every((budget) => budget.pass) ? 0 : 1);
  });

  it('fail the Redis lines when no session was measured', () => {
    const results = withFigure((r) => {
      r.memory.keys = {};
    });
    expect(
      budgets(results)
        .filter((b) => b.name.startsWith('Redis'))
        .map((b) => b.pass),
    ).toEqual([false, false]);
  });
});

describe('bench run names', () => {
  it('are the start time to the minute, with the seconds when that name is taken: no run replaces another', () => {
    const start = new Date('2026-11-29T10:12:34.567Z');
    expect(runName(start, () => false)).toBe('2026-11-29T1012Z');
    expect(runName(start, (name) => name === '2026-11-29T1012Z')).toBe('2026-11-29T101234Z');
  });
});

describe('bench summary', () => {
  it('has one budget line per item, marked PASS or FAIL, and closes with what the profiles showed', () => {
    const changes = readFileSync(join(resultsDir, '..', 'changes.md'), 'utf8');
    const summary = markdown(stored, changes);
    for (const budget of stored.budgets) {
      const line = `| ${budget.name} | ${budget.limit} | ${budget.measured} | ${budget.pass ? 'PASS' : 'FAIL'} |`;
      expect(summary).toContain(line);
    }
    expect(summary).toContain('\n## What the profiles showed, and what each change gained\n');
    expect(summary.trimEnd().endsWith(changes.trimEnd().split('\n').at(-1) as string)).toBe(true);
  });

  it("states the machine's speed at a login's work when the run measured it, and says nothing of it otherwise", () => {
    const measured = withFigure((r) => (r.machine.argon2PerSecond = 43.84));
    expect(markdown(measured, '')).toContain(
      "argon2id alone, with the service's parameters, 43.8 hashes/s on one thread",
    );
    const older = withFigure((r) => delete r.machine.argon2PerSecond);
    expect(markdown(older, '')).not.toContain('argon2id alone');
  });

  it('names the Node flags every server ran with: those of `npm start`', () => {
    const flags = [...startFlags];
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(manifest.scripts.start).toBe(`node ${flags.join(' ')} src/main.ts`);
    expect(flags).toContain('--max-semi-space-size=32');
    const run = withFigure((r) => (r.settings.nodeFlags = flags));
    expect(markdown(run, '')).toContain(
      'each with the Node flags of `npm start` (`--max-semi-space-size=32`)',
    );
    const older = withFigure((r) => delete r.settings.nodeFlags);
    expect(markdown(older, '')).not.toContain('Node flags');
  });

  it("reads as Node flags only the words between `node` and the script, not the script's own", () => {
    expect(nodeFlagsOf('node --a=1 --b src/main.ts --port 3000')).toEqual(['--a=1', '--b']);
    expect(nodeFlagsOf('node src/main.ts')).toEqual([]);
  });
});
