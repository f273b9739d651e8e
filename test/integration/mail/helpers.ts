/**
 * Shared by the mail tests: each test file gets a pg-boss schema of its own in this run's
 * database, so its queues and workers never meet another file's (or the app tests') jobs, and a
 * real SMTP server (test/support/smtp.ts).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { ConstructorOptions, PgBoss } from 'pg-boss';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { inject } from 'vitest';
import { MAIL_DEAD_LETTER_QUEUE, MAIL_QUEUE, type MailJob } from '../../../src/mail/jobs.ts';
import { enqueueMail } from '../../../src/mail/producer.ts';
import { createBoss, ensureQueues, type MailQueueOptions } from '../../../src/mail/queue.ts';
import type { JobSeal } from '../../../src/mail/seal.ts';
import {
  type MailLog,
  type MailWorker,
  type MailWorkerOptions,
  startMailWorker,
} from '../../../src/mail/worker.ts';
import { startSmtp, type TestSmtp } from '../../support/smtp.ts';
import { FAST_QUEUE, FROM, HELPDESK, SEAL } from './settings.ts';

export interface MailTestDb {
  url: string;
  schema: string;
  pool: pg.Pool;
  /** A pg-boss instance on this file's schema, started, with the queues in place. */
  boss(options?: Partial<ConstructorOptions>, queue?: MailQueueOptions): Promise<PgBoss>;
  /** Jobs of a queue in every state, straight from the table. */
  jobs(queue?: string): Promise<{ id: string; state: string; output: unknown; retry_count: number }[]>;
  close(): Promise<void>;
}

export async function mailTestDb(name: string): Promise<MailTestDb> {
  const url = inject('databaseUrl');
  const schema = `mail_${name}_${randomBytes(3).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const bosses: PgBoss[] = [];
  return {
    url,
    schema,
    pool,
    async boss(options = {}, queue = FAST_QUEUE) {
      const boss = createBoss(url, { schema, max: 4, ...options });
      boss.on('error', () => {});
      bosses.push(boss);
      await boss.start();
      await ensureQueues(boss, queue);
      return boss;
    },
    async jobs(queue = MAIL_QUEUE) {
      const { rows } = await pool.query(
        `SELECT id, state, output, retry_count FROM ${schema}.job WHERE name = $1 ORDER BY created_on`,
        [queue],
      );
      return rows;
    },
    async close() {
      for (const boss of bosses) await boss.stop({ graceful: false }).catch(() => {});
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

export interface MailHarness {
  db: MailTestDb;
  smtp: TestSmtp;
  /** What the workers started here logged. */
  log: MailLog & { lines: string[] };
  /** Starts the service's worker on `boss`, sending to the test SMTP server unless told otherwise. */
  startWorker(boss: PgBoss, options?: Partial<MailWorkerOptions>): Promise<MailWorker>;
  /** Stops the workers, drops the schema, closes the SMTP server. */
  close(): Promise<void>;
}

export async function mailHarness(name: string): Promise<MailHarness> {
  const db = await mailTestDb(name);
  const smtp = await startSmtp();
  const log = memoryLog();
  const workers: MailWorker[] = [];
  return {
    db,
    smtp,
    log,
    async startWorker(boss, options = {}) {
      const worker = await startMailWorker({
        boss,
        smtpUrl: smtp.url,
        from: FROM,
        log,
        helpdesk: HELPDESK,
        seal: SEAL,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.stop();
      await db.close();
      await smtp.close();
    },
  };
}

/** A bare SMTP server with the given hooks: a relay that misbehaves on purpose. */
export async function startRelay(
  hooks: Pick<SMTPServerOptions, 'onRcptTo' | 'onData'>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], logger: false, ...hooks });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function job(i: number, overrides: Partial<MailJob> = {}): MailJob {
  return {
    template: 'passwordChanged',
    to: `user${i}@example.com`,
    lang: i % 2 === 0 ? 'ja' : 'en',
    data: { name: `TEST USER ${i}`, changedAt: new Date().toISOString() },
    ...overrides,
  };
}

/** Enqueues the jobs in one transaction and commits it, sealed with `seal`; returns the job ids. */
export async function enqueueCommitted(
  boss: PgBoss,
  pool: pg.Pool,
  jobs: MailJob[],
  seal: JobSeal = SEAL,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const ids: string[] = [];
    for (const j of jobs) ids.push(await enqueueMail(boss, seal, client, j));
    await client.query('COMMIT');
    return ids;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** A logger that keeps every line, so tests can check what would have been logged. */
export function memoryLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ ...obj, msg }));
  };
  return { lines, info: keep, warn: keep, error: keep };
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { FAST_BOSS, FAST_QUEUE, FROM, HELPDESK, SEAL } from './settings.ts';
export { MAIL_DEAD_LETTER_QUEUE, MAIL_QUEUE };
