/**
 * Session snapshots in Redis. A value is `<revision>\n<json>`: the Lua compare-and-set reads the
 * revision without decoding the JSON. Each user's session ids are kept in a set so a password
 * change can end the others. Keys carry a prefix, so deployments and test runs can share a Redis.
 */
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.ts';
import { type SessionRecord, type SessionStore, type StoreTimes, ttlOf } from './types.ts';

const compareAndSet = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if tonumber(string.match(current, '^(%d+)\\n')) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

function encode(record: SessionRecord): string {
  return `${record.revision}\n${JSON.stringify(record)}`;
}

function decode(value: string | null): SessionRecord | null {
  if (value === null) return null;
  try {
    return JSON.parse(value.slice(value.indexOf('\n') + 1)) as SessionRecord;
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
  return wrapped as unknown as SessionStore;
}

export function createRedisStore(redis: Redis, prefix: string, times: StoreTimes): SessionStore {
  const key = (id: string) => `${prefix}s:${id}`;
  const userKey = (userRef: string) => `${prefix}u:${userRef}`;

  const indexUser = async (id: string, record: SessionRecord) => {
    if (record.userRef === null) return;
    await redis
      .multi()
      .sadd(userKey(record.userRef), id)
      .pexpire(userKey(record.userRef), times.absoluteMs)
      .exec();
  };

  return guarded({
    async get(id) {
      const record = decode(await redis.get(key(id)));
      if (record) await redis.pexpire(key(id), ttlOf(record, times));
      return record;
    },
    async create(id, record) {
      const stored = await redis.set(key(id), encode(record), 'PX', ttlOf(record, times), 'NX');
      if (stored === 'OK') await indexUser(id, record);
      return stored === 'OK';
    },
    async replace(id, expected, record) {
      const result = await redis.eval(
        compareAndSet,
        1,
        key(id),
        expected,
        encode(record),
        ttlOf(record, times),
      );
      if (result === 1) await indexUser(id, record);
      return result === 1;
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
