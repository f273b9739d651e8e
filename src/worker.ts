/**
 * `npm run worker`: the notification worker and the account-request worker (registrations and
 * reset requests, see src/flow/account-requests.ts) on their own, without the web server. Run it beside web
 * processes started with RUN_WORKER=false; any number of both can share one database.
 * Stops gracefully on SIGTERM/SIGINT: no new jobs are fetched, messages in hand are finished.
 *
 *   npm run worker [-- --concurrency <n>]   messages in flight at once (default 1; see worker.ts)
 */
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from './config.ts';
import { shipAuditEvents } from './db/audit.ts';
import { createPool } from './db/pool.ts';
import { startAccountRequestWorker } from './flow/account-requests.ts';
import { createBoss, ensureQueues } from './mail/queue.ts';
import { jobSeal } from './mail/seal.ts';
import { type MailLog, startMailWorker } from './mail/worker.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** JSON lines in pino's shape, so the worker's log reads like the web process's. */
export function jsonLog(level: Config['LOG_LEVEL'], name: string): MailLog {
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS.indexOf(level);
  const write = (at: (typeof LEVELS)[number]) => (obj: object, msg?: string) => {
    if (LEVELS.indexOf(at) < threshold) return;
    const line = JSON.stringify({ level: at, time: Date.now(), pid: process.pid, name, ...obj, msg });
    (at === 'error' || at === 'fatal' ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '1' } } });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    throw new Error('--concurrency must be a whole number from 1 to 32');
  }
  const config = loadConfig();
  const log = jsonLog(config.LOG_LEVEL, 'zairyu-worker');
  if (!config.DATABASE_URL || !config.SMTP_URL || !config.SESSION_SECRET) {
    throw new Error(
      "npm run worker needs DATABASE_URL, SMTP_URL and the web processes' SESSION_SECRET (jobs are " +
        'sealed with a key derived from it). Without them (the embedded database and the development ' +
        'mail catcher), keep RUN_WORKER=true and let `npm start` run the worker.',
    );
  }
  const seal = jobSeal(config.SESSION_SECRET);
  const boss = createBoss(config.DATABASE_URL, { createSchema: config.MIGRATE_ON_START });
  await boss.start();
  await ensureQueues(boss);
  const pool = createPool(config.DATABASE_URL, 4, (error) =>
    log.warn({ error: error.message }, 'PostgreSQL client lost'),
  );
  const audit = shipAuditEvents(pool, log);
  const accounts = await startAccountRequestWorker({ config, pool, boss, seal, log });
  const worker = await startMailWorker({
    boss,
    seal,
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    log,
    helpdesk: { tel: config.HELPDESK_TEL, email: config.HELPDESK_EMAIL },
    concurrency,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Past this, whatever is still in hand is retried by another worker after its heartbeat lapses.
    setTimeout(() => process.exit(1), 60_000).unref();
    Promise.all([worker.stop(), accounts.stop()])
      .then(() => boss.stop({ graceful: true, timeout: 30_000 }))
      .then(() => audit.close())
      .then(() => pool.end())
      .then(() => process.exit(0))
      .catch((error: Error) => {
        log.error({ error: error.name }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (import.meta.main) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
