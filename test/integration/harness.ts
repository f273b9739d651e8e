/**
 * The real app, built by the composition root (src/app.ts) as the web process builds it, on this
 * run's throw-away database and a Redis key prefix of its own; with the workers and a real SMTP
 * server for the mail harness. The browser-like client and other helpers are re-exported.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { inject } from 'vitest';
import { type AppOptions, buildApp } from '../../src/app.ts';
import { jobSeal } from '../../src/mail/seal.ts';
import type { SessionStore } from '../../src/store/types.ts';
import { dropSchema } from './fixtures.ts';

export * from './browser.ts';
export * from './fixtures.ts';
export * from './mail-harness.ts';

export interface HarnessOptions {
  /** A pg-boss schema of the harness's own, so no other test file's worker takes its mail jobs. */
  bossSchema?: string;
  /** Replaces the Redis-backed store (e.g. one pointing at a Redis that is down). */
  store?: SessionStore;
  /** The app's pool connects here instead (e.g. through a proxy a test can cut, another database). */
  databaseUrl?: string;
  /** The Redis key prefix, when another harness must share it (a random one of its own otherwise). */
  prefix?: string;
  logger?: FastifyServerOptions['logger'];
  workers?: boolean;
}

export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}) {
  const prefix = options.prefix ?? `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
  const app = await buildApp(appOptions({ REDIS_PREFIX: prefix, ...env }, options));
  const { config, boss, sessions, postgres } = app;
  const { redis, store } = sessions;
  if (!redis) throw new Error('the harness keeps its sessions in Redis');
  const handles = { app, config, boss, redis, store, prefix, pool: postgres.pool };
  return {
    ...handles,
    /** Seals and opens this harness's jobs, as the app does (from its session secret). */
    seal: jobSeal(app.sessionSecret),
    async close() {
      await app.close();
      if (options.bossSchema) await dropSchema(postgres.url, options.bossSchema);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** The root's options for this run's servers (RUN_WORKER off: the mail harness turns the workers on). */
export function appOptions(env: Record<string, string>, options: HarnessOptions): AppOptions {
  // this run's Redis, unless the test names a Redis Cluster or Sentinel group of its own
  const otherRedis = Boolean(env.REDIS_CLUSTER_NODES || env.REDIS_SENTINELS);
  const base = {
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    ...(otherRedis ? {} : { REDIS_URL: inject('redisUrl') }),
  };
  // migrated once for the run; every test browser comes from one address (the limit is tested apart)
  const test = { MIGRATE_ON_START: 'false', RUN_WORKER: 'false', SESSION_CREATION_PER_MINUTE: '100000' };
  return {
    env: { ...base, ...test, ...env },
    logger: options.logger ?? false,
    workers: options.workers,
    postgres: { poolSize: 5, poolUrl: options.databaseUrl },
    store: { store: options.store },
    queue: { schema: options.bossSchema, createSchema: true, max: 2 },
    worker: { pollingIntervalSeconds: 0.5 },
  };
}
