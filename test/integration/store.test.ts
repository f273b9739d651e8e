/** One contract, two stores: the in-process one of `npm start` and Redis. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createRedisStore, REMEMBERED_VALUE_MAX } from '../../src/store/redis.ts';
import type { SessionStore, StoreTimes } from '../../src/store/types.ts';
import { describeStoreContract, profile, record } from './store-contract.ts';

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

describe('Redis session store reading back its own writes', () => {
  const times = { idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 };
  const stored = async (prefix: string, id: string) => {
    const value = (await redis.get(`${prefix}s:${id}`)) as string;
    return JSON.parse(value.slice(value.indexOf('\n') + 1));
  };

  it('answers the reads after a write with the record written, only while Redis holds exactly that value', async () => {
    const prefix = `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
    // two processes of one deployment: each remembers only its own writes
    const one = createRedisStore(redis, prefix, times, 'database-a');
    const other = createRedisStore(redis, prefix, times, 'database-a');
    const first = record({ step: 'first' });
    await one.create('s', first);
    const read = await one.get('s');
    expect(read).toBe(first); // not parsed again
    expect(read).toEqual(await stored(prefix, 's'));
    expect(await one.get('s')).toBe(first); // and for every read while the value is the one written

    await one.replace('s', 0, record({ revision: 1, step: 'mine' }));
    await other.replace('s', 1, record({ revision: 2, step: 'theirs' })); // another process wrote since
    const theirs = await one.get('s');
    expect(theirs?.step).toBe('theirs');
    expect(theirs).toEqual(await stored(prefix, 's'));

    await one.replace('s', 2, record({ revision: 3, step: 'ended' }));
    await one.destroy('s');
    expect(await one.get('s')).toBeNull();
  });

  it('parses again a record longer than it remembers (a form full of long values), so what it holds stays bounded', async () => {
    const prefix = `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
    const store = createRedisStore(redis, prefix, times, 'database-a');
    const small = record({ step: 'small' });
    await store.create('s', small);
    expect(await store.get('s')).toBe(small);
    const values = { street: 'x'.repeat(REMEMBERED_VALUE_MAX) };
    const large = record({ revision: 1, snapshot: { value: 'home', context: { form: { values } } } });
    await store.replace('s', 0, large);
    const read = await store.get('s');
    expect(read).not.toBe(large);
    expect(read).toEqual(large);
  });
});
