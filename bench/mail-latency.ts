/**
 * Enqueue → SMTP-accepted latency of notifications at a steady rate: a throw-away database, a
 * local SMTP server, `npm run worker` (src/worker.ts) as its own process with the production
 * queue settings, and jobs committed one per transaction as the service commits them.
 *
 *   npm exec -- node bench/mail-latency.ts [--rate 50] [--seconds 20] [--concurrency 1]
 *
 * Prints one JSON line: counts, lost, duplicates and the latency percentiles in ms.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../test/support/postgres.ts';
import { startSmtp } from '../test/support/smtp.ts';
import { runMail } from './mail.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '1' },
  },
});
const rate = Number(values.rate);
const count = Math.round(rate * Number(values.seconds));

const database = await createTestDatabase();
const smtp = await startSmtp();
const secret = randomBytes(32).toString('base64url');
const worker = spawn(
  join(root, 'node_modules', '.bin', 'node'),
  ['src/worker.ts', '--concurrency', values.concurrency],
  {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      SESSION_SECRET: secret,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
try {
  let log = '';
  worker.stdout.on('data', (chunk) => {
    log = (log + chunk).slice(-4096);
  });
  while (!log.includes('notification worker started')) {
    if (worker.exitCode !== null) throw new Error(`the worker exited with code ${worker.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const result = await runMail({ databaseUrl: database.url, secret, smtp, count, rate });
  const stopping = Date.now();
  worker.kill('SIGTERM');
  const [code] = await once(worker, 'exit');
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const { latency } = result;
  console.log(
    JSON.stringify({
      rate,
      concurrency: Number(values.concurrency),
      enqueued: result.enqueued,
      accepted: result.accepted,
      lost: result.lost,
      duplicates: result.duplicates,
      latencyMs: {
        p50: round(latency.p50),
        p95: round(latency.p95),
        p99: round(latency.p99),
        max: round(latency.max),
      },
      workerStop: { code, ms: Date.now() - stopping },
    }),
  );
} finally {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await smtp.close();
  await database.drop();
}
