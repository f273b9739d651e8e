/**
 * What sessions cost Redis: `MEMORY USAGE` of every session key under the run's prefix, grouped
 * by what the session is (a visitor on the login page, a signed-in user, a moved id that only
 * forwards a repeated POST), and Redis's own `used_memory` growth.
 */
import type { Redis } from 'ioredis';
import type { SessionRecord } from '../src/store/types.ts';

export interface KeyGroup {
  keys: number;
  /** Average `MEMORY USAGE` of a key (key, value and Redis's bookkeeping), in bytes. */
  bytes: number;
  maxBytes: number;
  /** Average length of the stored value, in bytes. */
  valueBytes: number;
}

export type SessionKind = 'visitor' | 'signedIn' | 'moved' | 'userIndex';

/** A session by its stored record: moved (forwarding only), signed in, or a visitor. */
function kindOf(value: string | null): SessionKind | undefined {
  if (value === null) return undefined;
  try {
    const record = JSON.parse(value.slice(value.indexOf('\n') + 1)) as SessionRecord;
    if (record.tombstone) return 'moved';
    return record.userRef === null ? 'visitor' : 'signedIn';
  } catch {
    return undefined;
  }
}

export async function measureKeys(
  redis: Redis,
  prefix: string,
): Promise<Partial<Record<SessionKind, KeyGroup>>> {
  const sums = new Map<SessionKind, { keys: number; bytes: number; maxBytes: number; valueBytes: number }>();
  const add = (kind: SessionKind, bytes: number, valueBytes: number) => {
    const sum = sums.get(kind) ?? { keys: 0, bytes: 0, maxBytes: 0, valueBytes: 0 };
    sum.keys += 1;
    sum.bytes += bytes;
    sum.maxBytes = Math.max(sum.maxBytes, bytes);
    sum.valueBytes += valueBytes;
    sums.set(kind, sum);
  };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const sessions = keys.filter((key) => key.startsWith(`${prefix}s:`));
    const indexes = keys.filter((key) => key.startsWith(`${prefix}u:`));
    const batch = redis.pipeline();
    for (const key of sessions) batch.get(key).call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const key of indexes) batch.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const replies = (await batch.exec()) ?? [];
    sessions.forEach((_key, i) => {
      const value = replies[2 * i]?.[1] as string | null;
      const bytes = Number(replies[2 * i + 1]?.[1] ?? 0);
      const kind = kindOf(value);
      if (kind && value !== null && bytes > 0) add(kind, bytes, Buffer.byteLength(value));
    });
    indexes.forEach((_key, i) => {
      const bytes = Number(replies[2 * sessions.length + i]?.[1] ?? 0);
      if (bytes > 0) add('userIndex', bytes, 0);
    });
  } while (cursor !== '0');
  return Object.fromEntries(
    [...sums].map(([kind, sum]) => [
      kind,
      {
        keys: sum.keys,
        bytes: Math.round(sum.bytes / sum.keys),
        maxBytes: sum.maxBytes,
        valueBytes: Math.round(sum.valueBytes / sum.keys),
      },
    ]),
  );
}

/** Redis's `used_memory`, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
