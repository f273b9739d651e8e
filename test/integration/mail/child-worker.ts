/**
 * The notification worker as its own process, for the crash test: the same start-up as
 * `npm run worker`, on the test's pg-boss schema and with test-speed supervision.
 * Environment: DATABASE_URL, SMTP_URL, MAIL_SCHEMA. Prints `ready` once it is working.
 */
import { createBoss, ensureQueues } from '../../../src/mail/queue.ts';
import { startMailWorker } from '../../../src/mail/worker.ts';
import { FAST_BOSS, FAST_QUEUE, FROM, HELPDESK, SEAL } from './settings.ts';

const { DATABASE_URL = '', SMTP_URL = '', MAIL_SCHEMA = '' } = process.env;
const boss = createBoss(DATABASE_URL, { schema: MAIL_SCHEMA, max: 4, ...FAST_BOSS });
boss.on('error', () => {});
await boss.start();
await ensureQueues(boss, FAST_QUEUE);
const silent = { info() {}, warn() {}, error() {} };
const worker = await startMailWorker({
  boss,
  smtpUrl: SMTP_URL,
  from: FROM,
  log: silent,
  helpdesk: HELPDESK,
  seal: SEAL,
});
process.once('SIGTERM', async () => {
  await worker.stop();
  await boss.stop({ graceful: true });
  process.exit(0);
});
process.stdout.write('ready\n');
