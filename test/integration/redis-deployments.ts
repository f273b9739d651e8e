/**
 * What every Redis deployment the service supports must carry, on real servers: the session
 * store's contract, and a flow over HTTP served by two web processes that stream its moves to the
 * live flow view of the other and count the same live sessions. Used by the Redis Cluster and
 * Sentinel test files with the deployment each starts.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { createRedisClient, type RedisClient } from '../../src/store/redis-client.ts';
import { untilReady } from '../../src/store/redis-options.ts';
import { serviceEnv, startProcess, stopAll, webReady } from '../support/processes.ts';
import { Browser, createUser, type Harness, overHttp } from './harness.ts';
import { describeStoreContract } from './store-contract.ts';

/** A web process on the deployment `redisEnv` names; no worker (the database is shared). */
export function webProcess(env: NodeJS.ProcessEnv) {
  return startProcess('src/main.ts', {
    env: { ...env, RUN_WORKER: 'false' },
    ready: webReady,
    timeoutMs: 30_000,
  });
}

/** The live sessions a process's /metrics reports. */
export async function activeSessions(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = /^zairyu_active_sessions (\d+)$/m.exec(text)?.[1];
  if (value === undefined) throw new Error(`no zairyu_active_sessions in ${url}/metrics`);
  return Number(value);
}

/** Reads a Server-Sent Events stream until `until` appears in it; answers what it read. */
async function readUntil(stream: ReadableStream<Uint8Array>, until: string): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before ${until}:\n${text}`);
    text += new TextDecoder().decode(value);
  }
  return text;
}

export function describeDeployment(
  name: string,
  redisEnv: () => Record<string, string>,
  /** What the web process's start line names as its session store. */
  backend: RegExp,
): void {
  let client: RedisClient | undefined;
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'), 2);
    client = createRedisClient(loadConfig(redisEnv())) as RedisClient;
    await untilReady(client);
  });
  afterAll(async () => {
    await stopAll();
    await pool.end();
    client?.disconnect();
  });

  describeStoreContract(name, (times) => {
    client ??= createRedisClient(loadConfig(redisEnv())) as RedisClient;
    return createRedisStore(
      client,
      `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`,
      times,
      'db',
    );
  });

  it(`${name}: two web processes serve a flow over HTTP, stream its moves to each other's live view, and report the same live sessions`, async () => {
    const env = serviceEnv({ REDIS_URL: '', ...redisEnv() });
    const [a, b] = await Promise.all([webProcess(env), webProcess(env)]);
    expect(a.output()).toMatch(backend);

    // The live view is watched on b; a publishes once it sees a viewer (it looks every 2 s).
    const controller = new AbortController();
    const events = await fetch(`${b.url}/flow/events`, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const seen = readUntil(events.body as ReadableStream<Uint8Array>, '"to":"signedIn.userInfoUpdated"');

    const user = await createUser(pool);
    const browser = new Browser(overHttp(() => a.url));
    expect((await browser.login(user)).url).toBe('/menu');
    expect((await browser.press('GO_USER_INFO')).html).toContain(user.userId);
    await browser.press('GO_CHANGE_USER_INFO');
    const updated = await browser.press('CHANGE_USER_INFO', { phone: '0311112222' });
    expect(updated.url).toBe('/user-info/updated');
    expect((await browser.press('BACK_TO_USER_INFO')).html).toContain('0311112222');
    const moves = await seen;
    controller.abort();
    expect(moves).toContain('"event":"LOGIN"');
    expect(moves).not.toContain(user.userId);

    const visitor = new Browser(overHttp(() => b.url));
    await visitor.get('/');
    expect((await visitor.press('GO_LOGIN')).url).toBe('/login');
    // the visitor's session, the signed-in one, and the tombstone the login left under the old id
    expect(await activeSessions(a.url)).toBe(3);
    expect(await activeSessions(b.url)).toBe(3);
  }, 90_000);
}

export interface Visit {
  browser: Browser;
  userId: string;
  /** Whether the session's key is on the server that is killed. */
  affected: boolean;
  /** Each answer's status, when it was asked and when it came (performance.now()). */
  answers: { asked: number; at: number; status: number }[];
  /** The page the session ended on, if it ended. */
  ended?: string;
}

export interface FailoverRun {
  visits: Visit[];
  /** Per affected session, how long after the kill it was served again (ms). */
  recovery: number[];
  /** One line with what was lost and how long it took. */
  summary: string;
}

/**
 * Signed-in sessions keep moving (menu ⇄ user information) while `kill` takes a Redis server
 * away. Asserts what must hold of every answer: never a 500, a 503 only with its code, never
 * another user's data, a session that ends ends on the timed-out page, and every affected
 * session is served again within 20 s. Answers what happened, for the caller's own assertions.
 */
export async function sessionsThroughFailover(
  harness: Harness,
  options: {
    sessions: number;
    /** For each session key, whether it is on the server `kill` takes away. */
    affected(keys: string[]): Promise<boolean[]>;
    kill(): Promise<void>;
  },
): Promise<FailoverRun> {
  const users = await Promise.all(Array.from({ length: options.sessions }, () => createUser(harness.pool)));
  const visits: Visit[] = [];
  for (const user of users) {
    const browser = new Browser(harness.app);
    expect((await browser.login(user)).url).toBe('/menu');
    visits.push({ browser, userId: user.userId, affected: false, answers: [] });
  }
  const affected = await options.affected(
    visits.map((visit) => `${harness.prefix}s:${visit.browser.sessionId()}`),
  );
  visits.forEach((visit, i) => {
    visit.affected = affected[i] === true;
  });
  expect(visits.some((visit) => visit.affected)).toBe(true);

  const clock = { killedAt: Number.POSITIVE_INFINITY };
  const ids = users.map((user) => user.userId);
  const moving = visits.map((visit) => keepMoving(visit, ids, clock, performance.now() + 30_000));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await options.kill();
  clock.killedAt = performance.now();
  await Promise.all(moving);

  for (const visit of visits) {
    const statuses = visit.answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect([undefined, '/timed-out']).toContain(visit.ended);
  }
  const hit = visits.filter((visit) => visit.affected);
  const recovery = hit.map((visit) => recoveredAfter(visit, clock.killedAt));
  for (const ms of recovery) expect(ms).toBeLessThan(20_000);
  const lost = visits.filter((visit) => visit.ended).length;
  const unavailable = hit.flatMap((visit) => visit.answers.filter((answer) => answer.status === 503));
  const summary =
    `${hit.length} of ${visits.length} sessions on the killed server, ${lost} lost (ended on the ` +
    `timed-out page), ${unavailable.length} coded 503 answers meanwhile, every session served again ` +
    `${Math.round(Math.max(0, ...recovery))} ms after the kill at most`;
  return { visits, recovery, summary };
}

/**
 * How long after the kill the session was served again: the end of its first answer asked after
 * the kill, or after its last 503, that was a page (a request may wait inside ioredis meanwhile).
 */
function recoveredAfter(visit: Visit, killedAt: number): number {
  const since = visit.answers.findLast((answer) => answer.status === 503)?.at ?? killedAt;
  const next = visit.answers.find((answer) => answer.asked >= since - 1 && answer.status === 200);
  return next ? next.at - killedAt : Number.POSITIVE_INFINITY;
}

/**
 * Moves one session between the menu and the user information page until it has been served
 * three times after the kill (or has ended), checking each page is its own user's. A 503 is
 * retried as a person would: the same button on the same page.
 */
async function keepMoving(
  visit: Visit,
  userIds: string[],
  clock: { killedAt: number },
  deadline: number,
): Promise<void> {
  let servedAfterKill = 0;
  while (performance.now() < deadline && servedAfterKill < 3) {
    const before = visit.browser.page;
    const asked = performance.now();
    const page = await visit.browser.press(before.url === '/menu' ? 'GO_USER_INFO' : 'BACK');
    visit.answers.push({ asked, at: performance.now(), status: page.status });
    for (const other of userIds) if (other !== visit.userId) expect(page.html).not.toContain(other);
    if (page.status === 503) {
      expect(page.html).toContain('WZBAM900E');
      visit.browser.page = before;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (page.url !== '/menu' && page.url !== '/user-info') {
      visit.ended = page.url;
      return;
    }
    if (page.url === '/user-info') expect(page.html).toContain(visit.userId);
    if (asked > clock.killedAt) servedAfterKill += 1;
  }
}
