/** One contract, two stores: the in-process one of `npm start` and Redis. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { SessionStore, StoreTimes } from '../../src/store/types.ts';
import { describeStoreContract, profile } from './store-contract.ts';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

const stores: [string, (times: StoreTimes) => SessionStore][] = [
  ['in-process', (times) => createMemoryStore(times)],
  [
    'Redis',
    (times) =>
      createRedisStore(
        redis,
        `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`,
        times,
        'database-a',
      ),
  ],
];

for (const [name, make] of stores) describeStoreContract(name, make);

describe('Redis session store shared by two databases', () => {
  it('keeps the cached profiles of each database apart under one prefix', async () => {
    const prefix = `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
    const times = { idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 };
    const a = createRedisStore(redis, prefix, times, 'database-a');
    const b = createRedisStore(redis, prefix, times, 'database-b');
    await a.cacheProfile(profile({ name: 'USER OF A', version: 5 }));
    expect(await b.cachedProfile('7')).toBeNull();
    await b.cacheProfile(profile({ name: 'USER OF B', version: 1 }));
    expect((await a.cachedProfile('7'))?.name).toBe('USER OF A');
    expect((await b.cachedProfile('7'))?.name).toBe('USER OF B');
  });
});
