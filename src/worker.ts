/**
 * `npm run worker`: the notification worker and the account-request worker (registrations and
 * reset requests, see src/mail/account-requests.ts) on their own, without the web server. Run it beside web
 * processes started with RUN_WORKER=false; any number of both can share one database.
 * Stops gracefully on SIGTERM/SIGINT: no new jobs are fetched, messages in hand are finished, and
 * the process is gone within 15 s whatever its relay does (src/ops/shutdown.ts).
 *
 *   npm run worker [-- --concurrency <n>]   messages in flight at once (default 1; see worker.ts)
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from './config.ts';
import { shipAuditEvents } from './db/audit.ts';
import { createPool } from './db/pool.ts';
import { startAccountRequestWorker } from './mail/account-requests.ts';
import { createBoss, ensureQueues } from './mail/queue.ts';
import { jobSeal } from './mail/seal.ts';
import { startMailWorker } from './mail/worker.ts';
import { logDestination } from './ops/logging.ts';
import { stopOnSignals } from './ops/shutdown.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '1' } } });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    throw new Error('--concurrency must be a whole number from 1 to 32');
  }
  const config = loadConfig();
  // The web process's log: never waits for its reader, human-readable in development.
  const log = pino(
    { level: config.LOG_LEVEL, name: 'zairyu-worker' },
    logDestination(process.stdout, { pretty: config.NODE_ENV === 'development' }),
  );
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

  // Past the deadline, whatever is still in hand is retried by another worker after its heartbeat lapses.
  stopOnSignals(
    async (signal) => {
      log.info({ signal }, 'stopping');
      await Promise.all([worker.stop(), accounts.stop()]);
      await boss.stop({ graceful: true });
      await audit.close();
      await pool.end();
    },
    (_signal, error) =>
      log.error({ error: error instanceof Error ? error.name : 'unknown' }, 'shutdown failed'),
  );
}

if (import.meta.main) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
