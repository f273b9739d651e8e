/** What the test harness asks of the composition root: this run's servers and test-speed settings. */
import type { FastifyServerOptions } from 'fastify';
import { inject } from 'vitest';
import type { AppOptions } from '../../src/app.ts';
import type { SessionStore } from '../../src/store/types.ts';

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
