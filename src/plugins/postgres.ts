/**
 * PostgreSQL: the server named by DATABASE_URL, or without it the embedded one under `.data/`
 * (started here, stopped last); the migrations when MIGRATE_ON_START; the pool, and the stream
 * of its audit events to the log (src/db/audit.ts), which must watch the pool from its first query.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { shipAuditEvents } from '../db/audit.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { releaseOnClose } from './release.ts';

export interface PostgresOptions {
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  dataRoot?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** The pool connects here instead (tests: through a proxy they can cut). Migrations and the queue do not. */
  poolUrl?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    postgres: {
      pool: pg.Pool;
      /** The database's URL, for the clients that do not use the pool (pg-boss). */
      url: string;
      /** For the start line. */
      label: string;
    };
  }
}

const defaultDataRoot = join(import.meta.dirname, '..', '..', '.data');

/** DATABASE_URL, or the embedded server's URL once it runs (stopped on close). */
async function databaseUrl(app: FastifyInstance, dataRoot: string): Promise<string> {
  if (app.config.DATABASE_URL) return app.config.DATABASE_URL;
  // Loaded only when used (the package is large; its exit hooks are tamed in embedded.ts).
  const { startEmbeddedPostgres } = await import('../db/embedded.ts');
  const embedded = await startEmbeddedPostgres(dataRoot);
  releaseOnClose(app, 'embedded PostgreSQL', embedded.stop);
  return embedded.url;
}

async function postgres(app: FastifyInstance, options: PostgresOptions) {
  const url = await databaseUrl(app, options.dataRoot ?? defaultDataRoot);
  if (app.config.MIGRATE_ON_START) await migrate(url);
  const pool = createPool(options.poolUrl ?? url, options.poolSize ?? 10, (error) =>
    app.log.warn({ err: { message: error.message } }, 'PostgreSQL client lost'),
  );
  releaseOnClose(app, 'PostgreSQL pool', () => pool.end());
  const audit = shipAuditEvents(pool, app.log);
  releaseOnClose(app, 'audit event stream', () => audit.close());
  app.decorate('postgres', {
    pool,
    url,
    label: app.config.DATABASE_URL ? 'PostgreSQL' : 'embedded PostgreSQL (.data/postgres)',
  });
}

export default fp(postgres, { name: 'postgres', dependencies: ['config'] });
