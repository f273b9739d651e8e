/** The in-process store of the embedded default: one process only, nothing survives a restart. */
import type { UserProfile } from '../db/users.ts';
import { profileTtlMs, type SessionRecord, type SessionStore, type StoreTimes, ttlOf } from './types.ts';

interface Entry {
  record: SessionRecord;
  expiresAt: number;
}

export function createMemoryStore(times: StoreTimes): SessionStore {
  const entries = new Map<string, Entry>();
  const profiles = new Map<string, { profile: UserProfile; expiresAt: number }>();
  const now = () => times.now?.() ?? Date.now();

  const live = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    if (entry && entry.expiresAt <= now()) entries.delete(id);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  const put = (id: string, record: SessionRecord) => {
    entries.set(id, { record: structuredClone(record), expiresAt: now() + ttlOf(record, times) });
  };

  return {
    async get(id) {
      const entry = live(id);
      if (!entry) return null;
      entry.expiresAt = now() + ttlOf(entry.record, times);
      return structuredClone(entry.record);
    },
    async peek(id) {
      const entry = live(id);
      return entry ? structuredClone(entry.record) : null;
    },
    async create(id, record) {
      if (live(id)) return false;
      put(id, record);
      return true;
    },
    async replace(id, expected, record) {
      const entry = live(id);
      if (!entry || entry.record.revision !== expected) return false;
      put(id, record);
      return true;
    },
    async destroy(id) {
      entries.delete(id);
    },
    async destroyUserSessions(userRef, keep) {
      let ended = 0;
      for (const [id, entry] of entries) {
        if (id !== keep && entry.record.userRef === userRef) {
          entries.delete(id);
          ended += 1;
        }
      }
      return ended;
    },
    async cachedProfile(userRef) {
      const cached = profiles.get(userRef);
      if (cached && cached.expiresAt <= now()) profiles.delete(userRef);
      return cached && cached.expiresAt > now() ? { ...cached.profile } : null;
    },
    async cacheProfile(profile) {
      const cached = profiles.get(profile.id);
      if (cached && cached.expiresAt > now() && cached.profile.version >= profile.version) return;
      profiles.set(profile.id, {
        profile: { ...profile },
        expiresAt: now() + (times.profileMs ?? profileTtlMs),
      });
    },
    async count() {
      for (const id of entries.keys()) live(id);
      return entries.size;
    },
    async ping() {},
    async close() {
      entries.clear();
      profiles.clear();
    },
  };
}
