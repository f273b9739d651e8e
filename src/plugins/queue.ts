/**
 * pg-boss on the service's database, with the notification and account-request queues made or
 * brought up to date. Both roles need it: the web role enqueues inside its transactions, the
 * worker role works the queues. Stopped gracefully after the workers (registered later) stopped.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PgBoss } from 'pg-boss';
import { ensureAccountQueue } from '../mail/account-requests.ts';
import { createBoss, ensureQueues } from '../mail/queue.ts';
import { releaseOnClose } from './release.ts';

export interface QueueOptions {
  /** A schema of its own (tests: so that no other test file's worker takes its jobs). */
  schema?: string;
  /** Lets pg-boss make its schema; by default only when the process migrates (src/db/app-role.sql). */
  createSchema?: boolean;
  /** pg-boss's own connections. */
  max?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    boss: PgBoss;
  }
}

async function queue(app: FastifyInstance, options: QueueOptions) {
  const boss = createBoss(app.postgres.url, {
    createSchema: options.createSchema ?? app.config.MIGRATE_ON_START,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.max ? { max: options.max } : {}),
  });
  await boss.start();
  releaseOnClose(app, 'pg-boss', () => boss.stop({ graceful: true }));
  await ensureQueues(boss);
  await ensureAccountQueue(boss);
  app.decorate('boss', boss);
}

export default fp(queue, { name: 'queue', dependencies: ['config', 'postgres'] });
