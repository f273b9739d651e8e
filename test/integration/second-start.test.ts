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
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let privateDir: string;
let clone: string;
const running = new Set<ChildProcess>();

/** Only what a newcomer's shell has: no servers configured, development mode. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'BASE_URL', 'REDIS_PREFIX', 'SESSION_SECRET'])
    delete env[name];
  return env;
}

interface Started {
  child: ChildProcess;
  url: string;
}

/** `npm start` in the clone; resolves with its URL once it says where it listens, rejects if it exits. */
function npmStart(): Promise<Started> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: clone,
    env: newcomerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /Zairyu at (http:\/\/\S+) on/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new StartFailed(code, output)));
  });
}

class StartFailed extends Error {
  readonly output: string;
  constructor(code: number | null, output: string) {
    super(`npm start exited with ${code}:\n${output}`);
    this.output = output;
  }
}

async function stop({ child }: Started): Promise<number | null> {
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const [code] = await exited;
  return code;
}

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
  for (const child of running) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  }
  if (privateDir) rmSync(privateDir, { recursive: true, force: true });
});

it('starts, stops on SIGTERM and starts again from a fresh clone, the homepage answering each time', async () => {
  for (const attempt of ['first', 'second']) {
    const started = await npmStart();
    const page = await homepage(started.url);
    expect(page.status, `the ${attempt} start's homepage`).toBe(200);
    expect(page.body).toContain('<main id="main"');
    expect(await stop(started), `the ${attempt} start's exit code`).toBe(0);
  }
  // PostgreSQL insists on 0700 or 0750 for its data directory
  expect(statSync(join(clone, '.data', 'postgres')).mode & 0o777).toBe(0o700);
}, 300_000);

it("says in PostgreSQL's own words why embedded PostgreSQL did not start", async () => {
  const dataDir = join(clone, '.data', 'postgres');
  chmodSync(dataDir, 0o777);
  try {
    const failure = await npmStart().then(
      (started) => stop(started).then(() => undefined),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StartFailed);
    // PostgreSQL's FATAL line, quoted, not a guess at the cause
    expect((failure as StartFailed).output).toMatch(/PostgreSQL said:[\s\S]*has invalid permissions/);
  } finally {
    chmodSync(dataDir, 0o700);
  }
}, 120_000);
