/** Liveness (/healthz: the process answers) and readiness (/readyz: its dependencies answer). */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { MAIL_QUEUE } from '../mail/jobs.ts';
import type { SessionStore } from '../store/types.ts';

interface HealthOptions {
  pool: pg.Pool;
  store: SessionStore;
  boss: PgBoss;
}

const checkTimeoutMs = 2_000;

function within<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), checkTimeoutMs).unref()),
  ]);
}

async function health(app: FastifyInstance, { pool, store, boss }: HealthOptions) {
  const checks = {
    postgres: async () => {
      await pool.query('SELECT 1');
    },
    sessions: () => store.ping(),
    queue: async () => {
      if (!(await boss.getQueue(MAIL_QUEUE))) throw new Error('queue missing');
    },
  };
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        const ok = await within(check()).then(
          () => true,
          () => false,
        );
        return [name, ok ? 'ok' : 'unavailable'] as const;
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
}

export default fp(health, { name: 'health' });
