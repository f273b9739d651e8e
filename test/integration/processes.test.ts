/**
 * Scale-out and crash proof with real processes: two web processes and one worker share one Redis
 * and one PostgreSQL. A user's requests alternate between the web processes through a manual
 * flow; one web process is SIGKILLed between two steps and the user goes on on the other; the
 * notification is sent by the worker (the web processes run none). They work on a database of
 * their own: `npm run worker` takes every job of pg-boss's default schema, other tests' included.
 */
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { serviceEnv, startProcess, stopAll, stopProcess, webReady } from '../support/processes.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { Browser, createUser, overHttp } from './harness.ts';

let smtp: TestSmtp;
let database: TestDatabase;
let pool: pg.Pool;
let env: NodeJS.ProcessEnv;

const web = () =>
  startProcess('src/main.ts', {
    env: { ...env, RUN_WORKER: 'false' },
    ready: webReady,
    timeoutMs: 30_000,
  });

beforeAll(async () => {
  smtp = await startSmtp();
  database = await createTestDatabase();
  pool = createPool(database.url, 2);
  env = serviceEnv({ SMTP_URL: smtp.url, DATABASE_URL: database.url });
});

afterAll(async () => {
  await stopAll();
  await pool.end();
  await database.drop();
  await smtp.close();
});

it('serves one session from two processes, survives a SIGKILL between steps, and mails from the worker', async () => {
  const [a, b] = await Promise.all([web(), web()]);
  await startProcess('src/worker.ts', { env, ready: /notification worker started/, timeoutMs: 30_000 });
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
  const stopped = await stopProcess(b.child);
  expect(stopped.code).toBe(0);
  expect(stopped.ms).toBeLessThan(15_000);
}, 90_000);
