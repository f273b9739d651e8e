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

/** The store built here and its Redis client, if any; closing a Redis store closes its client. */
async function ownStore(app: FastifyInstance): Promise<{ store: SessionStore; redis?: Redis }> {
  const { config } = app;
  const times = sessionTimes(config);
  if (!config.REDIS_URL) {
    const store = createMemoryStore(times);
    releaseOnClose(app, 'session store', () => store.close());
    return { store };
  }
  // read before the client is made, so that a failure here leaves nothing open
  const database = await databaseIdentity(app.postgres.pool);
  const redis = redisClient(config.REDIS_URL);
  const store = createRedisStore(redis, config.REDIS_PREFIX, times, database);
  releaseOnClose(app, 'session store', () => store.close());
  return { store, redis };
}

/** A store passed in is its caller's to close; the Redis client made beside it is this plugin's. */
function givenStore(app: FastifyInstance, store: SessionStore): { store: SessionStore; redis?: Redis } {
  const url = app.config.REDIS_URL;
  const redis = url ? redisClient(url) : undefined;
  if (redis) releaseOnClose(app, 'Redis', () => redis.quit());
  return { store, redis };
}

async function sessionStore(app: FastifyInstance, options: SessionStoreOptions) {
  const { store, redis } = options.store ? givenStore(app, options.store) : await ownStore(app);
  // ioredis reconnects by itself; while it cannot, requests answer 503 and /readyz says so.
  redis?.on('error', (error: Error) =>
    app.log.warn({ err: { message: error.message } }, 'Redis unreachable'),
  );
  app.decorate('sessions', { store, redis, label: redis ? 'Redis' : 'in-process session store' });
}

export default fp(sessionStore, { name: 'session-store', dependencies: ['config', 'postgres'] });
