/**
 * The active-sessions metric costs the same at 100,000 sessions as at 1,000: counted from the
 * sorted sets of expiry times (one ZCOUNT per set), never by walking the keys. Measured on a Redis
 * server of the test's own, by Redis's own command statistics (what each scrape made it do).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore, liveShards } from '../../src/store/redis.ts';
import { createRedisClient, type RedisClient } from '../../src/store/redis-client.ts';
import { untilReady } from '../../src/store/redis-options.ts';
import type { SessionStore } from '../../src/store/types.ts';
import { command, startSingle } from '../support/redis-servers.ts';
import { record } from './store-contract.ts';

let server: Awaited<ReturnType<typeof startSingle>>;
let client: RedisClient;
let store: SessionStore;
beforeAll(async () => {
  server = await startSingle();
  client = createRedisClient({ REDIS_URL: server.url }) as RedisClient;
  await untilReady(client);
  const times = { idleMs: 1_800_000, absoluteMs: 43_200_000, anonymousMs: 3_600_000 };
  store = createRedisStore(client, `zairyu:scale:${randomBytes(4).toString('hex')}:`, times, 'db');
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await server?.close();
});

/** Creates sessions `from`..`to` - 1 through the store, 5,000 at a time. */
async function fill(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, to - start) }, (_, i) => start + i);
    await Promise.all(batch.map((n) => store.create(`session-${n}`, record())));
  }
}

/** What 20 scrapes made Redis do: calls per command, and its own microseconds, per scrape. */
async function scrapeCost(): Promise<{ calls: Record<string, number>; usec: number; count: number }> {
  await command(server.port, 'CONFIG', 'RESETSTAT');
  let count = 0;
  for (let i = 0; i < 20; i += 1) count = await store.count();
  const stats = String(await command(server.port, 'INFO', 'commandstats'));
  const calls: Record<string, number> = {};
  let usec = 0;
  for (const [, name = '', n, spent] of stats.matchAll(/^cmdstat_(\w+):calls=(\d+),usec=(\d+)/gm)) {
    if (['config', 'info', 'hello'].includes(name)) continue; // the measuring connection's own
    calls[name] = Number(n) / 20;
    usec += Number(spent) / 20;
  }
  return { calls, usec, count };
}

it('a scrape of 100,000 live sessions sends Redis the same commands as one of 1,000 (one ZCOUNT per set, no SCAN), in comparable server time', async () => {
  await fill(0, 1_000);
  const small = await scrapeCost();
  await fill(1_000, 100_000);
  const large = await scrapeCost();

  expect(small.count).toBe(1_000);
  expect(large.count).toBe(100_000);
  expect(small.calls).toEqual({ zcount: liveShards });
  expect(large.calls).toEqual(small.calls);
  // O(log n) per set: the server's time per scrape may grow a little, never a hundredfold
  expect(large.usec).toBeLessThan(Math.max(small.usec, 50) * 5);
  console.info(
    `live-session scrape: ${liveShards} ZCOUNT; Redis time per scrape ${small.usec.toFixed(0)} µs at 1,000 ` +
      `sessions, ${large.usec.toFixed(0)} µs at 100,000`,
  );
}, 120_000);
