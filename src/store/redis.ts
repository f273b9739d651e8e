/**
 * Session snapshots in Redis. A value is `<revision>\n<json>`: the Lua compare-and-set reads the
 * revision without decoding the JSON. Each user's session ids are kept in a set so a password
 * change can end the others. Keys carry a prefix, so deployments and test runs can share a Redis.
 *
 * On a Redis Cluster every script and every MULTI touches one key, so one slot; commands on keys of
 * several slots (ending a user's sessions) go one key at a time. Live sessions are counted without
 * SCAN: each session's expiry time is kept in one of `liveShards` sorted sets (hash-tagged, so they
 * spread over the cluster's primaries), and the count is one ZCOUNT per set, whatever the number of
 * sessions.
 */
import type { UserProfile } from '../db/users.ts';
import { UnavailableError } from '../errors.ts';
import { BoundedMap } from '../ops/memo.ts';
import type { RedisClient } from './redis-client.ts';
import { profileTtlMs, type SessionRecord, type SessionStore, type StoreTimes, ttlOf } from './types.ts';

const compareAndSet = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if tonumber(string.match(current, '^(%d+)\\n')) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

// A cached profile is replaced only by a newer version (`<version>\n<json>`, as sessions are stored).
const setIfNewer = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(string.match(current, '^(%d+)\\n')) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

function encode(order: number, value: SessionRecord | UserProfile): string {
  return `${order}\n${JSON.stringify(value)}`;
}

function decode<T = SessionRecord>(value: string | null): T | null {
  if (value === null) return null;
  try {
    return JSON.parse(value.slice(value.indexOf('\n') + 1)) as T;
  } catch {
    return null; // unreadable = expired, never a crash
  }
}

/** Every store operation fails as "unavailable" when Redis cannot answer (503, not 500). */
function guarded(store: SessionStore): SessionStore {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, operation] of Object.entries(store)) {
    wrapped[name] = (...args: unknown[]) =>
      (operation as (...a: unknown[]) => Promise<unknown>).apply(store, args).catch((cause: unknown) => {
        throw new UnavailableError('session store', cause);
      });
  }
  // Built by name from the store's own methods, each wrapped with the same signature: TypeScript
  // cannot follow a mapping over Object.entries, so the result is asserted to be the store it wraps.
  return wrapped as unknown as SessionStore;
}

/** How many sorted sets hold the sessions' expiry times (the work of one count). */
export const liveShards = 16;
/** Sessions whose last indexing this process remembers (about 1 MB). */
const INDEXED_REMEMBERED = 10_000;
/** Sessions whose last record written by this process is remembered: see `lastWrites`. */
const WRITES_REMEMBERED = 1_000;
/**
 * The longest stored value remembered: a session on a page is under 1 KB; one holding a form's
 * values (each up to FIELD_CAP characters) may be tens, and 1,000 of those are not worth keeping.
 * At worst 1,000 values of this length (8 KB each in two-byte text) and their records.
 */
export const REMEMBERED_VALUE_MAX = 4_096;

/** The scripts, registered once so each call sends only its SHA (EVALSHA); each takes one key. */
export const storeScripts = { zairyuCompareAndSet: compareAndSet, zairyuSetIfNewer: setIfNewer } as const;

type CasRedis = RedisClient & {
  zairyuCompareAndSet(key: string, expected: number, value: string, ttlMs: number): Promise<number>;
  zairyuSetIfNewer(key: string, version: number, value: string, ttlMs: number): Promise<number>;
};

/**
 * `database` is the identity of the database the users come from (src/db/identity.ts): a user key
 * is unique only within its database, so cached profiles are keyed by both.
 */
export function createRedisStore(
  redis: RedisClient,
  prefix: string,
  times: StoreTimes,
  database: string,
): SessionStore {
  const key = (id: string) => `${prefix}s:${id}`;
  const userKey = (userRef: string) => `${prefix}u:${userRef}`;
  const profileKey = (userRef: string) => `${prefix}p:${database}:${userRef}`;
  const live = liveSessions(redis, prefix, times.now ?? Date.now, times.idleMs);
  const written = lastWrites();
  for (const [name, lua] of Object.entries(storeScripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  const cas = redis as CasRedis;

  return guarded({
    async get(id) {
      // One round trip: read and restart the idle timer together; a shorter TTL (a moved record,
      // the end of the absolute lifetime) is set in a second one only when it applies.
      const value = await redis.getex(key(id), 'PX', times.idleMs);
      const record = written.recall(id, value) ?? decode(value);
      if (!record) return null;
      const ttl = ttlOf(record, times);
      // both sent at once, awaited only when sent (most reads send neither)
      const shortened = ttl < times.idleMs ? redis.pexpire(key(id), ttl) : null;
      const indexed = live.until(id, ttl);
      if (shortened) await shortened;
      if (indexed) await indexed;
      return record;
    },
    async peek(id) {
      return decode(await redis.get(key(id)));
    },
    async create(id, record) {
      const value = encode(record.revision, record);
      const stored = await redis.set(key(id), value, 'PX', ttlOf(record, times), 'NX');
      if (stored === 'OK') written.note(id, value, record);
      if (stored === 'OK') await live.enter(id, ttlOf(record, times));
      // A session id gets its user only at creation: a new user or password means a new id.
      if (stored === 'OK' && record.userRef !== null) {
        const users = userKey(record.userRef);
        await redis.multi().sadd(users, id).pexpire(users, times.absoluteMs).exec();
      }
      return stored === 'OK';
    },
    async replace(id, expected, record) {
      const ttl = ttlOf(record, times);
      const value = encode(record.revision, record);
      const replaced = (await cas.zairyuCompareAndSet(key(id), expected, value, ttl)) === 1;
      if (replaced) written.note(id, value, record);
      if (replaced) await live.until(id, ttl);
      return replaced;
    },
    async destroy(id) {
      written.forget(id);
      await Promise.all([redis.unlink(key(id)), live.leave(id)]);
    },
    async destroyUserSessions(userRef, keep) {
      const ids = (await redis.smembers(userKey(userRef))).filter((id) => id !== keep);
      if (ids.length === 0) return 0;
      // The sessions' keys hash to many slots: one command each (one write per turn; per node on a Cluster).
      await Promise.all(ids.flatMap((id) => [redis.unlink(key(id)), live.leave(id)]));
      await redis.srem(userKey(userRef), ...ids);
      return ids.length;
    },
    async cachedProfile(userRef) {
      return decode<UserProfile>(await redis.get(profileKey(userRef)));
    },
    async cacheProfile(profile) {
      await cas.zairyuSetIfNewer(
        profileKey(profile.id),
        profile.version,
        encode(profile.version, profile),
        times.profileMs ?? profileTtlMs,
      );
    },
    count: live.count,
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}

/**
 * The record each recent write of this process stored: a POST is followed by the GET of the page it
 * redirects to, and that page's next POST, which read back what the POST wrote, and parsing it
 * again was half the store's CPU. A read takes the remembered record only when Redis holds exactly
 * the value written (any other writer's value differs in its revision at least), and forgets it
 * when not. Records are never changed once written (every change is a new record), so the writer
 * and its readers may share one.
 */
function lastWrites() {
  const entries = new BoundedMap<{ value: string; record: SessionRecord }>(WRITES_REMEMBERED);
  return {
    note(id: string, value: string, record: SessionRecord) {
      if (value.length <= REMEMBERED_VALUE_MAX) entries.set(id, { value, record });
      else entries.delete(id);
    },
    recall(id: string, value: string | null): SessionRecord | null {
      const last = entries.get(id);
      if (!last) return null;
      if (last.value === value) return last.record;
      entries.delete(id);
      return null;
    },
    forget(id: string) {
      entries.delete(id);
    },
  };
}

/**
 * The live sessions' expiry times, `liveShards` sorted sets (member: session id, score: when its
 * key expires). Entering also drops the set's expired members, so the sets stay as large as the
 * sessions alive, scraped or not; counting is read-only, O(log n) per set. The bookkeeping never
 * fails a request: a set on a cluster node that is failing over misses that update, and the
 * count is off by it until the session's next request or expiry.
 */
function liveSessions(redis: RedisClient, prefix: string, now: () => number, idleMs: number) {
  const shardKey = (id: string) => `${prefix}live:{${prefix}${shardOf(id)}}`;
  const keys = Array.from({ length: liveShards }, (_, shard) => `${prefix}live:{${prefix}${shard}}`);
  // A session's expiry is moved later at most once per 1/30 of the idle time by this process (a
  // minute of 30): a ZADD on every request was a third of the store's commands, and the count may
  // keep an idle session that much less. An earlier expiry (a tombstone's) is always written.
  const refreshMs = idleMs / 30;
  const indexedUntil = new BoundedMap<number>(INDEXED_REMEMBERED);
  return {
    /** Null when the index needs no write (not async: most requests write nothing here). */
    until(id: string, ttlMs: number): Promise<unknown> | null {
      const until = now() + ttlMs;
      const known = indexedUntil.get(id);
      if (known !== undefined && until >= known && until - known < refreshMs) return null;
      indexedUntil.set(id, until);
      return redis.zadd(shardKey(id), until, id).catch(() => {});
    },
    async enter(id: string, ttlMs: number) {
      const at = now();
      indexedUntil.set(id, at + ttlMs);
      await Promise.all([
        redis.zremrangebyscore(shardKey(id), '-inf', at),
        redis.zadd(shardKey(id), at + ttlMs, id),
      ]).catch(() => {});
    },
    async leave(id: string) {
      indexedUntil.delete(id);
      await redis.zrem(shardKey(id), id).catch(() => {});
    },
    async count() {
      const at = now();
      const counts = await Promise.all(keys.map((shard) => redis.zcount(shard, `(${at}`, '+inf')));
      return counts.reduce((sum, n) => sum + n, 0);
    },
  };
}

/** A session id's shard: ids are random, so any stable mix of their characters spreads them evenly. */
function shardOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return (hash >>> 0) % liveShards;
}
