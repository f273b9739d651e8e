/**
 * How the service's Redis client behaves when Redis is away: every command fails at once, or
 * within `commandTimeout` when Redis is reachable but silent, so a request answers 503 within a
 * second instead of waiting on reconnection attempts; the client keeps reconnecting by itself, at
 * most a second apart, so service resumes within about a second of Redis's return.
 */
import { once } from 'node:events';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

export const redisOptions = {
  // Commands are not queued while disconnected: they fail, and the request answers 503.
  enableOfflineQueue: false,
  // A command in flight when the connection drops fails with it, never replayed after its
  // request has been answered (a compare-and-set the user was told failed must not land later).
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 1_000,
  // 100 ms, 200 ms, 400 ms, … then every second (ioredis's own backoff grows to 5 s).
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1_000),
  // Auto-pipelining sends the commands of one tick in one write (the store's read and a publish).
  enableAutoPipelining: true,
} as const satisfies RedisOptions;

/**
 * Waits until `redis` is connected (commands are not queued before), at most `ms`: a Redis down at
 * start does not stop the service starting; its requests answer 503 until Redis is reachable.
 */
export async function untilReady(redis: Redis | Cluster, ms = 5_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const timeout = AbortSignal.timeout(ms);
  return once(redis, 'ready', { signal: timeout }).then(
    () => true,
    () => false,
  );
}
