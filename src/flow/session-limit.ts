/**
 * How many new sessions one client address may start a minute. A session is made by the first
 * button a visitor presses or by an emailed link; without a limit one client could fill the store.
 * Counted in Redis when sessions live there, so every process shares the count (a fixed window
 * per minute and address), in the process otherwise.
 */
import { UnavailableError } from '../errors.ts';
import type { RedisClient } from '../store/redis-client.ts';

/** Counts one more session for the address; false past the limit. */
export type Admit = (ip: string) => Promise<boolean>;

const windowMs = 60_000;

export function sessionLimit(perMinute: number, redis?: RedisClient, prefix = ''): Admit {
  if (redis) {
    return async (ip) => {
      const key = `${prefix}sl:${Math.floor(Date.now() / windowMs)}:${ip}`;
      const replies = await redis
        .multi()
        .incr(key)
        .pexpire(key, windowMs)
        .exec()
        .catch((cause: unknown) => {
          throw new UnavailableError('session store', cause);
        });
      return Number(replies?.[0]?.[1]) <= perMinute;
    };
  }
  const counts = new Map<string, number>();
  let window = 0;
  return async (ip) => {
    const now = Math.floor(Date.now() / windowMs);
    if (now !== window) {
      counts.clear();
      window = now;
    }
    const count = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, count);
    return count <= perMinute;
  };
}
