/**
 * `npm run worker`: the composition root (src/app.ts) in the worker role alone — the notification
 * worker and the account-request worker, no web server. Run it beside web processes started with
 * RUN_WORKER=false; any number of both can share one database. Stops gracefully on SIGTERM/SIGINT:
 * no new jobs are fetched, messages in hand are finished, and the process is gone within 15 s
 * whatever its relay does (src/ops/shutdown.ts).
 *
 *   npm run worker [-- --concurrency <n>]   messages in flight at once (default 1; see mail/worker.ts)
 */
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { stopOnSignals } from './ops/shutdown.ts';

function concurrency(): number {
  const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '1' } } });
  const value = Number(values.concurrency);
  if (!Number.isInteger(value) || value < 1 || value > 32) {
    throw new Error('--concurrency must be a whole number from 1 to 32');
  }
  return value;
}

/** The servers a worker cannot start without: an embedded one would be a world of its own. */
function requireServers(): void {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.SMTP_URL || !config.SESSION_SECRET) {
    throw new Error(
      "npm run worker needs DATABASE_URL, SMTP_URL and the web processes' SESSION_SECRET (jobs are " +
        'sealed with a key derived from it). Without them (the embedded database and the development ' +
        'mail catcher), keep RUN_WORKER=true and let `npm start` run the worker.',
    );
  }
}

async function main(): Promise<void> {
  const worker = { concurrency: concurrency() };
  requireServers();
  const app = await buildApp({ web: false, workers: true, postgres: { poolSize: 4 }, worker });
  // Past the deadline, whatever is still in hand is retried by another worker after its heartbeat lapses.
  stopOnSignals(
    async (signal) => {
      app.log.info({ signal }, 'stopping');
      await app.close();
    },
    (_signal, error) =>
      app.log.error({ error: error instanceof Error ? error.name : 'unknown' }, 'shutdown failed'),
  );
}

if (import.meta.main) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
