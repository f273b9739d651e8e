/**
 * Session snapshots in Redis. A value is `<revision>\n<json>`: the Lua compare-and-set reads the
 * revision without decoding the JSON. Each user's session ids are kept in a set so a password
 * change can end the others. Keys carry a prefix, so deployments and test runs can share a Redis.
 */
import type { Redis } from 'ioredis';
import type { UserProfile } from '../db/users.ts';
import { UnavailableError } from '../errors.ts';
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

/** The compare-and-set, registered once so each call sends only its SHA (EVALSHA). */
type CasRedis = Redis & {
  zairyuCompareAndSet(key: string, expected: number, value: string, ttlMs: number): Promise<number>;
  zairyuSetIfNewer(key: string, version: number, value: string, ttlMs: number): Promise<number>;
};

/**
 * `database` is the identity of the database the users come from (src/db/identity.ts): a user key
 * is unique only within its database, so cached profiles are keyed by both.
 */
export function createRedisStore(
  redis: Redis,
  prefix: string,
  times: StoreTimes,
  database: string,
): SessionStore {
  const key = (id: string) => `${prefix}s:${id}`;
  const userKey = (userRef: string) => `${prefix}u:${userRef}`;
  const profileKey = (userRef: string) => `${prefix}p:${database}:${userRef}`;
  if (!('zairyuCompareAndSet' in redis)) {
    redis.defineCommand('zairyuCompareAndSet', { numberOfKeys: 1, lua: compareAndSet });
    redis.defineCommand('zairyuSetIfNewer', { numberOfKeys: 1, lua: setIfNewer });
  }
  const cas = redis as CasRedis;

  return guarded({
    async get(id) {
      // One round trip: read and restart the idle timer together; a shorter TTL (a moved record,
      // the end of the absolute lifetime) is set in a second one only when it applies.
      const record = decode(await redis.getex(key(id), 'PX', times.idleMs));
      const ttl = record ? ttlOf(record, times) : times.idleMs;
      if (ttl < times.idleMs) await redis.pexpire(key(id), ttl);
      return record;
    },
    async peek(id) {
      return decode(await redis.get(key(id)));
    },
    async create(id, record) {
      const stored = await redis.set(
        key(id),
        encode(record.revision, record),
        'PX',
        ttlOf(record, times),
        'NX',
      );
      // A session id gets its user only at creation: a new user or password means a new id.
      if (stored === 'OK' && record.userRef !== null) {
        const users = userKey(record.userRef);
        await redis.multi().sadd(users, id).pexpire(users, times.absoluteMs).exec();
      }
      return stored === 'OK';
    },
    async replace(id, expected, record) {
      return (
        (await cas.zairyuCompareAndSet(
          key(id),
          expected,
          encode(record.revision, record),
          ttlOf(record, times),
        )) === 1
      );
    },
    async destroy(id) {
      await redis.unlink(key(id));
    },
    async destroyUserSessions(userRef, keep) {
      const ids = (await redis.smembers(userKey(userRef))).filter((id) => id !== keep);
      if (ids.length === 0) return 0;
      await redis
        .multi()
        .unlink(...ids.map(key))
        .srem(userKey(userRef), ...ids)
        .exec();
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
    async count() {
      let total = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}s:*`, 'COUNT', 1000);
        total += keys.length;
        cursor = next;
      } while (cursor !== '0');
      return total;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}
