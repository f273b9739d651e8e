/**
 * The one place a Redis connection of the service is made: one server (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES) or a Sentinel-managed primary (REDIS_SENTINELS + REDIS_SENTINEL_NAME),
 * through ioredis's own Cluster and Sentinel support. The session store, the rate limits, the
 * session-creation limit, the profile cache, the live flow view's pub/sub and the metrics all use
 * the client made here (the live view duplicates it for its subscription).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.ts';

/** A connection to whichever Redis deployment is configured. */
export type RedisClient = Redis | Cluster;

export type RedisSettings = Pick<
  Config,
  | 'REDIS_URL'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'REDIS_USERNAME'
  | 'REDIS_PASSWORD'
>;

/** What the start line says of the store's backend; undefined when no Redis is configured. */
export function redisKind(settings: RedisSettings): string | undefined {
  if (settings.REDIS_CLUSTER_NODES) return `Redis Cluster (${settings.REDIS_CLUSTER_NODES.length} seeds)`;
  if (settings.REDIS_SENTINELS) return `Redis Sentinel (${settings.REDIS_SENTINEL_NAME})`;
  return settings.REDIS_URL ? 'Redis' : undefined;
}

// A command waits through two reconnection attempts at most, then fails: the request answers 503.
const commandOptions = { maxRetriesPerRequest: 2 } satisfies RedisOptions;

/** The configured Redis client, or undefined when sessions stay in the process. */
export function createRedisClient(settings: RedisSettings): RedisClient | undefined {
  const credentials = { username: settings.REDIS_USERNAME, password: settings.REDIS_PASSWORD };
  if (settings.REDIS_CLUSTER_NODES) {
    // Auto-pipelining batches the commands of one tick per node (the store's read and a publish).
    return new Cluster(settings.REDIS_CLUSTER_NODES, {
      enableAutoPipelining: true,
      redisOptions: { ...commandOptions, ...credentials },
    });
  }
  if (settings.REDIS_SENTINELS) {
    return new Redis({
      sentinels: settings.REDIS_SENTINELS,
      name: settings.REDIS_SENTINEL_NAME,
      ...credentials,
      ...commandOptions,
      enableAutoPipelining: true,
      // Follows the Sentinels' +switch-master at once instead of waiting for the old primary to fail.
      failoverDetector: true,
    });
  }
  if (settings.REDIS_URL)
    return new Redis(settings.REDIS_URL, { ...commandOptions, enableAutoPipelining: true });
  return undefined;
}

/** A second connection to the same deployment, with the same options (a subscriber needs its own). */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
