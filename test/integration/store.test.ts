/** One contract, two stores: the in-process one of `npm start` and Redis. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { UserProfile } from '../../src/db/users.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { SessionRecord, SessionStore, StoreTimes } from '../../src/store/types.ts';
import { record as sessionRecord } from '../support/session-records.ts';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

const record = (overrides: Partial<SessionRecord> = {}) =>
  sessionRecord({ snapshot: { value: 'home', context: {} }, step: 'step-0', ...overrides });

function profile(overrides: Partial<UserProfile>): UserProfile {
  return {
    id: '7',
    user_id: 'abcde12345',
    name: 'TEST MADOGUCHI',
    sex: 'male',
    birth_date: '2000-01-01',
    municipality_code: '01101',
    street: '1-1-1',
    phone: '0312345678',
    email: 'abcde12345@example.com',
    version: 1,
    ...overrides,
  };
}

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

describe.each(stores)('%s session store', (_name, make) => {
  const times = { idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 };

  it('creates once, reads back, and refuses a second create of the same id', async () => {
    const store = make(times);
    expect(await store.create('a', record())).toBe(true);
    expect(await store.create('a', record({ step: 'other' }))).toBe(false);
    expect((await store.get('a'))?.step).toBe('step-0');
  });

  it('replaces only at the expected revision, so one of two racing writers loses', async () => {
    const store = make(times);
    await store.create('b', record());
    const results = await Promise.all([
      store.replace('b', 0, record({ revision: 1, step: 'x' })),
      store.replace('b', 0, record({ revision: 1, step: 'y' })),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.replace('b', 0, record({ revision: 1 }))).toBe(false);
    expect(await store.replace('missing', 0, record({ revision: 1 }))).toBe(false);
  });

  it('expires after the idle timeout and refreshes it on every read', async () => {
    const store = make({ idleMs: 300, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
    await store.create('c', record());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.get('c')).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.get('c')).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.get('c')).toBeNull();
  });

  it('peeks without restarting the idle timer', async () => {
    const store = make({ idleMs: 300, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
    await store.create('p', record());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await store.peek('p'))?.step).toBe('step-0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.peek('p')).toBeNull();
  });

  it('never outlives the absolute lifetime', async () => {
    const store = make({ idleMs: 60_000, absoluteMs: 300, anonymousMs: 300 });
    await store.create('d', record({ userRef: '42' }));
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await store.get('d')).toBeNull();
  });

  it('ends a session nobody signed in to at its shorter lifetime, a signed-in one at the absolute', async () => {
    const store = make({ idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 300 });
    await store.create('anonymous', record());
    await store.create('signed-in', record({ userRef: '42' }));
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await store.get('anonymous')).toBeNull();
    expect(await store.get('signed-in')).not.toBeNull();
  });

  it("ends a user's other sessions and keeps the one named", async () => {
    const store = make(times);
    for (const id of ['u1', 'u2', 'u3']) await store.create(id, record({ userRef: '42' }));
    expect(await store.destroyUserSessions('42', 'u2')).toBe(2);
    expect(await store.get('u1')).toBeNull();
    expect(await store.get('u2')).not.toBeNull();
    await store.destroy('u2');
    expect(await store.get('u2')).toBeNull();
  });

  it('caches a profile, keeps the newest version of it, and forgets it after its lifetime', async () => {
    const store = make({ ...times, profileMs: 300 });
    const v1 = profile({ version: 1, street: 'old' });
    expect(await store.cachedProfile('7')).toBeNull();
    await store.cacheProfile(v1);
    expect(await store.cachedProfile('7')).toEqual(v1);
    await store.cacheProfile(profile({ version: 2, street: 'new' }));
    // a reader that fetched version 1 before the change committed must not put it back
    await store.cacheProfile(v1);
    expect((await store.cachedProfile('7'))?.street).toBe('new');
    expect(await store.cachedProfile('8')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await store.cachedProfile('7')).toBeNull();
  });
});

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
