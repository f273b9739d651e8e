/**
 * The newcomer's path, for real: a clone of this repository in a private directory (mode 0700, as a
 * home directory or `mktemp -d`), `npm start` on the embedded defaults (no DATABASE_URL, REDIS_URL
 * or SMTP_URL), SIGTERM, and `npm start` again — the homepage answering each time. The test machine
 * runs as root, as containers do: embedded PostgreSQL then runs as a user of its own, which must get
 * through the private directory while its data directory keeps the mode PostgreSQL insists on.
 *
 * The clone is of HEAD with the work tree's uncommitted changes to tracked files applied, so the
 * test checks the code as it stands; node_modules is linked from this checkout. Each start runs
 * `node src/main.ts`, which is what `npm start` runs, so that SIGTERM reaches the service itself.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { root, StartFailed, startProcess, stopAll, stopProcess, webReady } from '../support/processes.ts';

let privateDir: string;
let clone: string;

/** Only what a newcomer's shell has: no servers configured, development mode. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'BASE_URL', 'REDIS_PREFIX', 'SESSION_SECRET'])
    delete env[name];
  return env;
}

/** `npm start` in the clone, ready once it says where it listens. */
const npmStart = () => startProcess('src/main.ts', { cwd: clone, env: newcomerEnv(), ready: webReady });

async function homepage(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/`);
  return { status: response.status, body: await response.text() };
}

beforeAll(() => {
  privateDir = mkdtempSync(join(tmpdir(), 'zairyu-newcomer-'));
  chmodSync(privateDir, 0o700);
  clone = join(privateDir, 'zairyu');
  execFileSync('git', ['clone', '--quiet', root, clone]);
  const changes = execFileSync('git', ['diff', '--binary', 'HEAD'], { cwd: root });
  if (changes.length > 0)
    execFileSync('git', ['apply', '--whitespace=nowarn'], { cwd: clone, input: changes });
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
});

afterAll(async () => {
  await stopAll();
  if (privateDir) rmSync(privateDir, { recursive: true, force: true });
});

it('starts, stops on SIGTERM and starts again from a fresh clone, the homepage answering each time, its log readable', async () => {
  for (const attempt of ['first', 'second']) {
    const started = await npmStart();
    // development: human-readable lines, not JSON
    expect(started.output()).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Zairyu at http:\/\/127\.0\.0\.1:\d+ on embedded PostgreSQL/m,
    );
    const page = await homepage(started.url);
    expect(page.status, `the ${attempt} start's homepage`).toBe(200);
    expect(page.body).toContain('<main id="main"');
    expect((await stopProcess(started.child)).code, `the ${attempt} start's exit code`).toBe(0);
  }
  // PostgreSQL insists on 0700 or 0750 for its data directory
  expect(statSync(join(clone, '.data', 'postgres')).mode & 0o777).toBe(0o700);
}, 300_000);

it("says in PostgreSQL's own words why embedded PostgreSQL did not start", async () => {
  const dataDir = join(clone, '.data', 'postgres');
  chmodSync(dataDir, 0o777);
  try {
    const failure = await npmStart().then(
      (started) => stopProcess(started.child).then(() => undefined),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StartFailed);
    // PostgreSQL's FATAL line, quoted, not a guess at the cause
    expect((failure as StartFailed).output).toMatch(/PostgreSQL said:[\s\S]*has invalid permissions/);
  } finally {
    chmodSync(dataDir, 0o700);
  }
}, 120_000);
