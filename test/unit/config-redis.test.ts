/** Which Redis deployment the configuration names (src/config.ts), read by the one client factory. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { redisKind } from '../../src/store/redis-client.ts';

describe('Redis deployment', () => {
  it('reads cluster seeds and Sentinels as host:port lists', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.internal:7001' });
    expect(cluster.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
    ]);
    expect(redisKind(cluster)).toBe('Redis Cluster (2 seeds)');
    const sentinel = loadConfig({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_NAME: 'zairyu' });
    expect(sentinel.REDIS_SENTINELS).toEqual([{ host: '10.0.0.5', port: 26379 }]);
    expect(redisKind(sentinel)).toBe('Redis Sentinel (zairyu)');
    expect(redisKind(loadConfig({}))).toBeUndefined();
  });

  it.each([
    ['a seed without a port', { REDIS_CLUSTER_NODES: '10.0.0.1' }, /REDIS_CLUSTER_NODES/],
    [
      'two deployments at once',
      { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' },
      /set only one of REDIS_URL, REDIS_CLUSTER_NODES/,
    ],
    [
      'Sentinels without the primary’s name',
      { REDIS_SENTINELS: '127.0.0.1:26379' },
      /REDIS_SENTINELS needs REDIS_SENTINEL_NAME/,
    ],
    [
      'a hash tag in the prefix on a cluster',
      { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_PREFIX: '{z}:' },
      /REDIS_PREFIX must not contain/,
    ],
  ])('refuses %s, naming the variable', (_what, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
