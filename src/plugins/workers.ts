/**
 * The worker role: the notification worker (src/mail/worker.ts) and the account-request worker
 * (src/mail/account-requests.ts) on the queue. On close they stop fetching and finish the jobs
 * in hand, before pg-boss and the pool (registered earlier) are released.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startAccountRequestWorker } from '../mail/account-requests.ts';
import { jobSeal } from '../mail/seal.ts';
import { startMailWorker } from '../mail/worker.ts';
import { releaseOnClose } from './release.ts';

export interface WorkersOptions {
  /** Notifications in flight at once (src/mail/worker.ts). */
  concurrency?: number;
  /** How often an idle worker looks for jobs (tests: shorter). */
  pollingIntervalSeconds?: number;
}

async function workers(app: FastifyInstance, options: WorkersOptions) {
  const { config, boss, log } = app;
  const seal = jobSeal(app.sessionSecret);
  const mail = await startMailWorker({
    boss,
    seal,
    smtpUrl: app.mail.smtpUrl,
    from: config.MAIL_FROM,
    log,
    helpdesk: { tel: config.HELPDESK_TEL, email: config.HELPDESK_EMAIL },
    ...options,
  });
  releaseOnClose(app, 'notification worker', mail.stop);
  const pool = app.postgres.pool;
  const { pollingIntervalSeconds } = options;
  const accounts = await startAccountRequestWorker({ config, pool, boss, seal, log, pollingIntervalSeconds });
  releaseOnClose(app, 'account request worker', accounts.stop);
}

export default fp(workers, { name: 'workers', dependencies: ['config', 'postgres', 'queue', 'mail'] });
