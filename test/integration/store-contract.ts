/**
 * The session store's contract, one set of tests every store passes: the in-process one of
 * `npm start`, one Redis, a Redis Cluster and a Sentinel-managed primary.
 */
import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../../src/db/users.ts';
import type { SessionRecord, SessionStore, StoreTimes } from '../../src/store/types.ts';
import { record as sessionRecord } from '../support/session-records.ts';

/** A record on the homepage whose step token the tests name. */
export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return sessionRecord({ snapshot: { value: 'home', context: {} }, step: 'step-0', ...overrides });
}

export function profile(overrides: Partial<UserProfile>): UserProfile {
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

export function describeStoreContract(name: string, make: (times: StoreTimes) => SessionStore): void {
  describe(`${name} session store`, () => {
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
      // margins wide enough for a loaded machine and a Redis reached through Sentinel or a cluster
      const store = make({ idleMs: 1000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
      await store.create('c', record());
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await store.get('c')).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await store.get('c')).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await store.get('c')).toBeNull();
    });

    it('peeks without restarting the idle timer', async () => {
      const store = make({ idleMs: 1000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
      await store.create('p', record());
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await store.peek('p'))?.step).toBe('step-0');
      await new Promise((resolve) => setTimeout(resolve, 600));
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

    it('stops counting a session at once when a replace shortens its lifetime, however recently it was read', async () => {
      const store = make({ idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
      await store.create('s1', record());
      await store.get('s1');
      const nearlyOld = Date.now() - 3_600_000 + 300; // 300 ms of its absolute lifetime left
      expect(await store.replace('s1', 0, record({ revision: 1, createdAt: nearlyOld }))).toBe(true);
      expect(await store.count()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await store.count()).toBe(0);
    });

    it("counts the sessions alive: not those destroyed, ended with their user's or expired", async () => {
      const store = make({ idleMs: 1000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 });
      expect(await store.count()).toBe(0);
      for (const id of ['n1', 'n2', 'n3']) await store.create(id, record({ userRef: '9' }));
      for (const id of ['n4', 'n5']) await store.create(id, record());
      expect(await store.count()).toBe(5);
      await store.destroy('n4');
      expect(await store.destroyUserSessions('9', 'n1')).toBe(2);
      expect(await store.count()).toBe(2);
      // n1's idle timer restarts on each read; n5's runs out
      for (let read = 0; read < 2; read += 1) {
        await store.get('n1');
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
      expect(await store.count()).toBe(1);
    });
  });
}
