/**
 * The session store: Redis when one is configured (one server, a Cluster or a Sentinel group: its
 * client also holds the rate-limit counters and carries the live flow view), the in-process store
 * of the embedded default otherwise.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { databaseIdentity } from '../db/identity.ts';
import { createMemoryStore } from '../store/memory.ts';
import { createRedisStore } from '../store/redis.ts';
import { createRedisClient, type RedisClient, redisKind } from '../store/redis-client.ts';
import { untilReady } from '../store/redis-options.ts';
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
      redis?: RedisClient;
      /** For the start line. */
      label: string;
    };
  }
}

/**
 * The client, connected (it queues no command before: src/store/redis-options.ts). A Redis down at
 * start does not stop the start: requests answer 503 until it is back. Its errors are logged.
 */
async function redisClient(app: FastifyInstance): Promise<RedisClient | undefined> {
  const redis = createRedisClient(app.config);
  if (!redis) return undefined;
  // ioredis reconnects by itself; while it cannot, requests answer 503 and /readyz says so.
  redis.on('error', (error: Error) => app.log.warn({ err: { message: error.message } }, 'Redis unreachable'));
  if (!(await untilReady(redis))) app.log.warn('Redis unreachable at start: requests answer 503 until it is');
  return redis;
}

/** The store built here and its Redis client, if any; closing a Redis store closes its client. */
async function ownStore(app: FastifyInstance): Promise<{ store: SessionStore; redis?: RedisClient }> {
  const { config } = app;
  const times = sessionTimes(config);
  // read before the client is made, so that a failure here leaves nothing open
  const database = await databaseIdentity(app.postgres.pool);
  const redis = await redisClient(app);
  const store = redis
    ? createRedisStore(redis, config.REDIS_PREFIX, times, database)
    : createMemoryStore(times);
  releaseOnClose(app, 'session store', () => store.close());
  return { store, redis };
}

/** A store passed in is its caller's to close; the Redis client made beside it is this plugin's. */
async function givenStore(
  app: FastifyInstance,
  store: SessionStore,
): Promise<{ store: SessionStore; redis?: RedisClient }> {
  const redis = await redisClient(app);
  if (redis) releaseOnClose(app, 'Redis', () => redis.quit());
  return { store, redis };
}

async function sessionStore(app: FastifyInstance, options: SessionStoreOptions) {
  const { store, redis } = options.store ? await givenStore(app, options.store) : await ownStore(app);
  app.decorate('sessions', { store, redis, label: redisKind(app.config) ?? 'in-process session store' });
}

export default fp(sessionStore, { name: 'session-store', dependencies: ['config', 'postgres'] });
