/** A Redis session store of a test file's own (a random key prefix) and session records to put in it. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import { newToken } from '../../src/flow/tokens.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { SessionRecord } from '../../src/store/types.ts';

export const times = { idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 600_000 };

/** The store; its connection is closed after the file's tests. */
export function redisStore() {
  const redis = new Redis(inject('redisUrl'));
  afterAll(() => redis.quit());
  return createRedisStore(redis, `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`, times, 'db');
}

/** A live record on the login page, created now (the store keeps real time for its TTLs). */
export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    machineVersion: 'v1',
    revision: 0,
    snapshot: { value: 'login', context: {} },
    step: newToken(),
    lastStep: null,
    key: 1,
    pendingSince: null,
    createdAt: Date.now(),
    userRef: null,
    trace: 'trace',
    ...overrides,
  };
}
