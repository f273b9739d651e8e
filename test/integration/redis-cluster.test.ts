/**
 * The service on a real Redis Cluster (three primaries, one replica each, started here): the
 * store's contract, a flow over HTTP from two processes with the live view and the metrics, every
 * script and counter on the cluster's slots, and a primary SIGKILLed in the middle of a flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveShards } from '../../src/store/redis.ts';
import { startCluster, type TestCluster } from '../support/redis-servers.ts';
import { Browser, postForm, startHarness } from './harness.ts';
import { describeDeployment, sessionsThroughFailover } from './redis-deployments.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(() => cluster?.close());

const clusterEnv = () => ({ REDIS_CLUSTER_NODES: cluster.seeds });

describe('on a Redis Cluster', () => {
  describeDeployment('Redis Cluster', clusterEnv, /on PostgreSQL, Redis Cluster \(6 seeds\)/);

  it('spreads the live-session sets over all three primaries, and counts rate limits and new sessions there', async () => {
    const harness = await startHarness({
      ...clusterEnv(),
      RATE_LIMIT_PER_MINUTE: '2',
      SESSION_CREATION_PER_MINUTE: '3',
    });
    try {
      const shards = Array.from(
        { length: liveShards },
        (_, n) => `${harness.prefix}live:{${harness.prefix}${n}}`,
      );
      expect(new Set(await Promise.all(shards.map((key) => cluster.primaryOf(key)))).size).toBe(3);
      // @fastify/rate-limit's script: the third login POST of a minute is refused with its code
      const visitor = new Browser(harness.app);
      await visitor.get('/');
      await visitor.press('GO_LOGIN');
      const posts = [];
      for (let i = 0; i < 3; i += 1)
        posts.push(
          await postForm(
            harness.app,
            '/login',
            { _action: 'LOGIN', _step: visitor.page.step },
            { cookie: visitor.cookieHeader() },
          ),
        );
      expect(posts.map((post) => post.statusCode)).toEqual([303, 303, 429]);
      expect(posts[2]?.body).toContain('WZBAM320E');
      // the per-address session counter (one key per window and address): the fourth of a minute is refused
      const starter = new Browser(harness.app);
      const home = await starter.get('/');
      const form = { _action: 'GO_LOGIN', _step: home.step };
      const address = { cookie: starter.cookieHeader(), remoteAddress: '198.51.100.7' };
      const starts = [];
      for (let i = 0; i < 4; i += 1)
        starts.push((await postForm(harness.app, '/', form, address)).statusCode);
      expect(starts).toEqual([303, 303, 303, 429]);
    } finally {
      await harness.close();
    }
  });

  it('a primary SIGKILLed mid-flow: sessions on other slots are never refused, those on its slots go on or end on the timed-out page; never a 500 or another user’s data', async () => {
    const harness = await startHarness(clusterEnv());
    try {
      let victim = 0;
      const run = await sessionsThroughFailover(harness, {
        sessions: 12,
        async affected(keys) {
          const owners = await Promise.all(keys.map((key) => cluster.primaryOf(key)));
          victim = owners[0] as number;
          return owners.map((owner) => owner === victim);
        },
        kill: () => cluster.kill(victim),
      });
      await cluster.healthy();
      expect(run.visits.some((visit) => !visit.affected)).toBe(true);
      for (const visit of run.visits.filter((one) => !one.affected))
        expect(
          visit.answers.map((answer) => answer.status),
          'a session on other slots',
        ).not.toContain(503);
      console.info(`cluster failover (primary SIGKILLed, its replica promoted): ${run.summary}`);
    } finally {
      await harness.close();
    }
  }, 90_000);
});
