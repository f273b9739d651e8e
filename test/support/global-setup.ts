/**
 * Vitest global setup: one throw-away database (migrated) and one Redis key prefix per run.
 *
 * Test files read them with `inject('databaseUrl')`, `inject('redisUrl')`, `inject('redisPrefix')`
 * (vitest's documented channel from global setup to tests), or from the environment:
 * TEST_DATABASE_URL, TEST_REDIS_URL, TEST_REDIS_PREFIX. Global setup runs in the main process
 * before the test workers are forked, and the workers are started with a copy of its
 * `process.env`, so what is set here reaches every test file.
 */
import type { TestProject } from 'vitest/node';
import { createTestDatabase } from './postgres.ts';
import { deleteKeys, redisUrl, uniquePrefix } from './redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this run's throw-away database, migrated. */
    databaseUrl: string;
    /** URL of the Redis server the tests use. */
    redisUrl: string;
    /** Prefix that every Redis key of this run must start with, e.g. `zairyu:test:3f9a0c1d:`. */
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await createTestDatabase();
  const redis = { url: redisUrl(), prefix: uniquePrefix('test') };

  process.env.TEST_DATABASE_URL = database.url;
  process.env.TEST_REDIS_URL = redis.url;
  process.env.TEST_REDIS_PREFIX = redis.prefix;
  project.provide('databaseUrl', database.url);
  project.provide('redisUrl', redis.url);
  project.provide('redisPrefix', redis.prefix);

  return async function teardown() {
    const results = await Promise.allSettled([database.drop(), deleteKeys(redis.url, redis.prefix)]);
    for (const result of results) {
      if (result.status === 'rejected') console.error('test teardown:', result.reason);
    }
  };
}
