/**
 * The service's own entry points (`src/main.ts`, `src/worker.ts`) as real processes, for the tests
 * that start, kill and stop them: started with the project's Node, ready once their output says
 * so, stopped by a signal and timed until they are gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { inject } from 'vitest';

export const root = join(import.meta.dirname, '..', '..');

/** The web process's start line; group 1 is its URL. */
export const webReady = /Zairyu at (http:\/\/\S+) on/;

/** A service process's environment on this run's PostgreSQL and Redis, with a key prefix of its own. */
export function serviceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BASE_URL: '', // vitest exports Vite's BASE_URL=/ into the environment
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface Started {
  child: ChildProcess;
  /** Group 1 of the `ready` match (a URL, for the web process), or ''. */
  url: string;
  /** Everything the process printed so far (while its output is read). */
  output(): string;
}

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  /** Matched against stdout and stderr together; group 1, if any, is the URL. */
  ready: RegExp;
  cwd?: string;
  timeoutMs?: number;
}

/** A start that ended before the process was ready: its exit code and what it printed. */
export class StartFailed extends Error {
  readonly code: number | null;
  readonly output: string;
  constructor(script: string, code: number | null, output: string) {
    super(`${script} exited with ${code} before it was ready:\n${output}`);
    this.code = code;
    this.output = output;
  }
}

const children = new Set<ChildProcess>();

/** Starts `script` (relative to `cwd`, the repository by default) with the project's Node. */
export function startProcess(script: string, options: StartOptions): Promise<Started> {
  const cwd = options.cwd ?? root;
  const child = spawn(process.execPath, [join(cwd, script)], {
    cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} was not ready within ${options.timeoutMs ?? 60_000} ms:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = options.ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: match[1] ?? '', output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new StartFailed(script, code, output));
    });
  });
}

/** Sends `signal`; answers the exit code and how long the process took to be gone. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill(signal);
  const [code] = await exited;
  return { code, ms: performance.now() - started };
}

/** For afterAll: every process still running is stopped (SIGTERM, then SIGKILL after 20 s). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await stopProcess(child).catch(() => {});
      clearTimeout(killer);
    }),
  );
}
