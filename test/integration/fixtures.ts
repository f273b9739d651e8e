/**
 * What integration tests set up besides the app: users in the database, a logger whose lines they
 * read, a session store on a Redis that is down; and what they take down (a queue schema of their own).
 */
import { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { demoProfile } from '../../src/db/demo-user.ts';
import { createPool } from '../../src/db/pool.ts';
import { insertUser, type NewUser } from '../../src/db/users.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { generateUserId } from '../../src/domain/rules.ts';
import { loggerOptions } from '../../src/ops/logging.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { SessionStore } from '../../src/store/types.ts';

/** The app's logger (as production builds it) writing its JSON lines into `lines` instead of stdout. */
export function capturedLogger(): { lines: string[]; logger: FastifyServerOptions['logger'] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: { ...(loggerOptions('info') as object), stream } };
}

/** A session store on a Redis nobody listens to, as in an outage; `close` lets its client go. */
export function unreachableStore(): { store: SessionStore; close(): void } {
  const redis = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const store = createRedisStore(
    redis,
    'x:',
    { idleMs: 1000, absoluteMs: 1000, anonymousMs: 1000 },
    'never-reached',
  );
  return { store, close: () => redis.disconnect() };
}

export interface TestUser {
  id: string;
  userId: string;
  password: string;
  email: string;
}

/** A registered user with a password, unique per call. */
export async function createUser(pool: pg.Pool, overrides: Partial<NewUser> = {}): Promise<TestUser> {
  const password = 'Passw0rd#1';
  const userId = generateUserId();
  const email = `${userId}@example.com`;
  const row = await insertUser(pool, {
    ...demoProfile,
    user_id: userId,
    email,
    password_hash: await hashPassword(password),
    ...overrides,
  });
  if (!row) throw new Error('user ID collision');
  return { id: row.id, userId, password, email: row.email };
}

/** Drops a pg-boss schema of a test's own, once nothing uses it. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const pool = createPool(databaseUrl, 1);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}
