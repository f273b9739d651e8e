/**
 * The one place a Redis connection of the service is made: one server (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES) or a Sentinel-managed primary (REDIS_SENTINELS + REDIS_SENTINEL_NAME),
 * through ioredis's own Cluster and Sentinel support. The session store, the rate limits, the
 * session-creation limit, the profile cache, the live flow view's pub/sub and the metrics all use
 * the client made here (the live view duplicates it for its subscription).
 */
import { Cluster, Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { commandDeadlineMs, redisOptions, sendInTurnsWithDeadline } from './redis-options.ts';

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

/**
 * The configured Redis client, or undefined when sessions stay in the process. Every kind behaves
 * alike while Redis is away (src/store/redis-options.ts): commands fail at once, never queued.
 */
export function createRedisClient(settings: RedisSettings): RedisClient | undefined {
  const client = connect(settings);
  if (client instanceof Redis) sendInTurnsWithDeadline(client);
  return client;
}

function connect(settings: RedisSettings): RedisClient | undefined {
  const credentials = { username: settings.REDIS_USERNAME, password: settings.REDIS_PASSWORD };
  if (settings.REDIS_CLUSTER_NODES) {
    // The cluster keeps the offline queue, the reconnection, auto-pipelining and the command
    // timeout (per node) itself: it writes to several sockets, its QUIT to each node its own.
    const { enableOfflineQueue, retryStrategy, enableAutoPipelining: _perTurn, ...perNode } = redisOptions;
    return new Cluster(settings.REDIS_CLUSTER_NODES, {
      enableOfflineQueue,
      enableAutoPipelining: true,
      clusterRetryStrategy: retryStrategy,
      redisOptions: { ...perNode, ...credentials, commandTimeout: commandDeadlineMs },
    });
  }
  if (settings.REDIS_SENTINELS) {
    return new Redis({
      sentinels: settings.REDIS_SENTINELS,
      name: settings.REDIS_SENTINEL_NAME,
      ...credentials,
      ...redisOptions,
      // Follows the Sentinels' +switch-master at once instead of waiting for the old primary to fail.
      failoverDetector: true,
    });
  }
  if (settings.REDIS_URL) return new Redis(settings.REDIS_URL, redisOptions);
  return undefined;
}

/** A second connection to the same deployment, with the same options (a subscriber needs its own). */
export function duplicateClient(client: RedisClient): RedisClient {
  if (client instanceof Cluster) return client.duplicate();
  const duplicate = client.duplicate();
  sendInTurnsWithDeadline(duplicate);
  return duplicate;
}
