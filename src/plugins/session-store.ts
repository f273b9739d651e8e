/**
 * The session store: Redis when REDIS_URL is set (its client also holds the rate-limit counters
 * and carries the live flow view), the in-process store of the embedded default otherwise.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { databaseIdentity } from '../db/identity.ts';
import { createMemoryStore } from '../store/memory.ts';
import { createRedisStore } from '../store/redis.ts';
import { type SessionStore, sessionTimes } from '../store/types.ts';
import { releaseOnClose } from './release.ts';

export interface SessionStoreOptions {
  /** Used instead of the store built here (tests: one on a Redis that is down); its caller closes it. */
  store?: SessionStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: {
      store: SessionStore;
      /** The shared Redis client, when sessions live there. */
      redis?: Redis;
      /** For the start line. */
      label: string;
    };
  }
}

function redisClient(url: string): Redis {
  // Auto-pipelining sends the commands of one tick in one write (the store's read and a publish).
  return new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
}

/** The store built here, released on close (closing a Redis store closes its client). */
async function ownStore(app: FastifyInstance, redis: Redis | undefined): Promise<SessionStore> {
  const times = sessionTimes(app.config);
  const store = redis
    ? createRedisStore(redis, app.config.REDIS_PREFIX, times, await databaseIdentity(app.postgres.pool))
    : createMemoryStore(times);
  releaseOnClose(app, 'session store', () => store.close());
  return store;
}

async function sessionStore(app: FastifyInstance, options: SessionStoreOptions) {
  const { config } = app;
  const redis = config.REDIS_URL ? redisClient(config.REDIS_URL) : undefined;
  // ioredis reconnects by itself; while it cannot, requests answer 503 and /readyz says so.
  redis?.on('error', (error: Error) =>
    app.log.warn({ err: { message: error.message } }, 'Redis unreachable'),
  );
  const store = options.store ?? (await ownStore(app, redis));
  // a store passed in is its caller's to close, but the client made here is this plugin's
  if (options.store && redis) releaseOnClose(app, 'Redis', () => redis.quit());
  app.decorate('sessions', {
    store,
    redis,
    label: redis ? 'Redis' : 'in-process session store',
  });
}

export default fp(sessionStore, { name: 'session-store', dependencies: ['config', 'postgres'] });
