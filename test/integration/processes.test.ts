/**
 * Scale-out and crash proof with real processes: two web processes and one worker share one Redis
 * and one PostgreSQL. A user's requests alternate between the web processes through a manual
 * flow; one web process is SIGKILLed between two steps and the user goes on on the other; the
 * notification is sent by the worker (the web processes run none).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { Browser, createUser, overHttp } from './harness.ts';

const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
let smtp: TestSmtp;
let pool: pg.Pool;
let env: NodeJS.ProcessEnv;

/** Starts `script` and resolves once its log says `ready` (a regex whose group 1, if any, is its URL). */
function startProcess(
  script: string,
  extra: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, script)], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: match[1] ?? '' });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

const web = () => startProcess('src/main.ts', { RUN_WORKER: 'false' }, /Zairyu at (http:\/\/[^ ]+) on/);

beforeAll(async () => {
  smtp = await startSmtp();
  pool = createPool(inject('databaseUrl'), 2);
  env = {
    ...process.env,
    BASE_URL: '', // vitest exports Vite's BASE_URL=/ into the environment
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`,
    SMTP_URL: smtp.url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await pool.end();
  await smtp.close();
});

it('serves one session from two processes, survives a SIGKILL between steps, and mails from the worker', async () => {
  const [a, b] = await Promise.all([web(), web()]);
  await startProcess('src/worker.ts', {}, /notification worker started/);
  const user = await createUser(pool);

  let turn = 0;
  let alive = [a.url, b.url];
  const browser = new Browser(overHttp(() => alive[turn++ % alive.length] as string));
  expect((await browser.login(user)).url).toBe('/menu');
  expect((await browser.press('GO_USER_INFO')).url).toBe('/user-info');
  expect((await browser.press('GO_CHANGE_USER_INFO')).url).toBe('/user-info/change');
  expect(turn).toBeGreaterThanOrEqual(6); // both processes have served this session

  a.child.kill('SIGKILL');
  alive = [b.url];
  // an email change is notified (manual 2.4.1): the new address gets its notice from the worker
  const email = `moved-${user.email}`;
  const done = await browser.press('CHANGE_USER_INFO', { email, emailConfirm: email });
  expect(done.url).toBe('/user-info/updated');
  expect(done.html).toContain(email);

  const mail = await smtp.waitFor((message) => message.to.includes(email), 20_000);
  expect(mail.messageId).toMatch(/^<job-/);
  expect(smtp.messages.filter((message) => message.to.includes(email))).toHaveLength(1);
  const { rows } = await pool.query('SELECT email FROM users WHERE id = $1', [user.id]);
  expect(rows[0].email).toBe(email);

  // a reset request is queued by the web process and handled by the worker process
  const visitor = new Browser(overHttp(() => b.url));
  await visitor.get('/');
  await visitor.press('GO_LOGIN');
  await visitor.press('GO_FORGOT_PASSWORD');
  expect((await visitor.press('SEND_RESET', { userId: user.userId, email })).url).toBe(
    '/password/forgot/sent',
  );
  const reset = await smtp.waitFor(
    (message) => message.to.includes(email) && message.text.includes('token='),
    20_000,
  );
  expect(reset.text).toContain('/password/register?token=');

  // SIGTERM: the web process stops accepting, finishes, closes its pools and exits 0 in time
  const started = Date.now();
  b.child.kill('SIGTERM');
  const [code] = (await once(b.child, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(15_000);
}, 90_000);
