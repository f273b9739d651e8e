/**
 * The service on a real Sentinel group (one primary, one replica, three Sentinels, started here):
 * the store's contract, a flow over HTTP from two processes with the live view and the metrics,
 * and the primary SIGKILLed in the middle of a flow, its replica promoted by the Sentinels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinels, type TestSentinels, waitUntil } from '../support/redis-servers.ts';
import { startHarness } from './harness.ts';
import { describeDeployment, sessionsThroughFailover } from './redis-deployments.ts';

let group: TestSentinels;
beforeAll(async () => {
  group = await startSentinels();
}, 60_000);
afterAll(() => group?.close());

const sentinelEnv = () => ({ REDIS_SENTINELS: group.sentinels, REDIS_SENTINEL_NAME: group.name });

describe('on a Redis Sentinel group', () => {
  describeDeployment('Redis Sentinel', sentinelEnv, /on PostgreSQL, Redis Sentinel \(zairyu\)/);

  it('the primary SIGKILLed mid-flow: pages or coded 503s while the replica is promoted, then every session served again by itself within 20 s', async () => {
    const harness = await startHarness(sentinelEnv());
    try {
      const primary = await group.primary();
      const run = await sessionsThroughFailover(harness, {
        sessions: 8,
        affected: async (keys) => keys.map(() => true),
        kill: () => group.kill(primary),
      });
      await waitUntil('the Sentinels naming a new primary', async () => (await group.primary()) !== primary);
      // the same client, never rebuilt, reaches the new primary
      expect(await harness.redis.set(`${harness.prefix}after-failover`, '1')).toBe('OK');
      console.info(`sentinel failover (primary SIGKILLed, replica promoted): ${run.summary}`);
    } finally {
      await harness.close();
    }
  }, 90_000);
});
