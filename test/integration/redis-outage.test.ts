/**
 * Redis going away under the real web process (`node src/main.ts`, with the Redis client options
 * production uses): a redis-server of the test's own is stopped, then killed; every request that needs it gets
 * the coded "unavailable" page (503, WZBAM900E) in the user's language within a second — the rate
 * limiter's counter included — and /readyz names the dependency that is down. When the server is
 * started again, the service resumes by itself. The limit asserted is 2 s, against a loaded test
 * machine; the times measured are printed.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { freePort } from '../support/ports.ts';
import { type Started, serviceEnv, startProcess, stopAll, webReady } from '../support/processes.ts';
import { privateRedis } from '../support/redis.ts';
import { Browser, createUser, overHttp, type TestUser } from './harness.ts';

const upperBoundMs = 2_000;

let port: number;
let redis: ChildProcess;
let web: Started;
let pool: pg.Pool;
let user: TestUser;

beforeAll(async () => {
  port = await freePort();
  redis = await privateRedis(port);
  web = await startProcess('src/main.ts', {
    env: serviceEnv({ REDIS_URL: `redis://127.0.0.1:${port}`, RUN_WORKER: 'false' }),
    ready: webReady,
  });
  pool = createPool(inject('databaseUrl'), 2);
  user = await createUser(pool);
});

afterAll(async () => {
  await stopAll();
  redis.kill('SIGKILL');
  await pool.end();
});

const browser = () => new Browser(overHttp(() => web.url));

/** Runs `request` and answers its result with how long it took. */
async function timed<T>(request: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await request();
  return { result, ms: Math.round(performance.now() - started) };
}

describe('Redis stopped (SIGSTOP): connected, never answering', () => {
  it('answers the coded 503 page within 2 s, then serves again once Redis continues', async () => {
    const signedIn = browser();
    expect((await signedIn.login(user)).url).toBe('/menu');
    redis.kill('SIGSTOP');
    try {
      const menu = await timed(() => signedIn.get('/menu'));
      console.info(`with Redis silent: menu ${menu.ms} ms`);
      expect(menu.result.status).toBe(503);
      expect(menu.result.html).toContain('WZBAM900E');
      expect(menu.ms).toBeLessThan(upperBoundMs);
    } finally {
      redis.kill('SIGCONT');
    }
    expect((await signedIn.get('/menu')).status).toBe(200);
  });
});

describe('Redis killed under a running web process', () => {
  it("answers the coded 503 page in the user's language within 2 s — a signed-in page, the rate-limited login POST — and /readyz names the session store", async () => {
    const signedIn = browser();
    expect((await signedIn.login(user)).url).toBe('/menu');
    const english = browser();
    english.cookies.set('lang', 'en');
    await english.get('/');
    await english.press('GO_LOGIN');
    expect(english.page.url).toBe('/login');

    redis.kill('SIGKILL');
    await once(redis, 'exit');

    const menu = await timed(() => signedIn.get('/menu'));
    expect(menu.result.status).toBe(503);
    expect(menu.result.html).toContain('WZBAM900E：ただいまシステムを利用できません。');
    // the login POST is counted by the rate limiter in Redis before anything else
    const login = await timed(() => english.press('LOGIN', { userId: user.userId, password: user.password }));
    expect(login.result.status).toBe(503);
    expect(login.result.html).toContain('WZBAM900E: The system is temporarily unavailable.');
    const ready = await timed(() => fetch(`${web.url}/readyz`));
    expect(ready.result.status).toBe(503);
    expect(await ready.result.json()).toMatchObject({
      status: 'unavailable',
      checks: { postgres: 'ok', sessions: 'unavailable', queue: 'ok' },
    });
    console.info(`with Redis down: menu ${menu.ms} ms, login POST ${login.ms} ms, /readyz ${ready.ms} ms`);
    for (const { ms } of [menu, login, ready]) expect(ms).toBeLessThan(upperBoundMs);
  });

  it('serves again by itself within 2 s of Redis coming back after 8 s away: /readyz is ready and a user logs in', async () => {
    // long enough for a backoff without a ceiling to wait several seconds between attempts
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    redis = await privateRedis(port);
    const back = await timed(async () => {
      while ((await fetch(`${web.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
    });
    console.info(`ready ${back.ms} ms after redis-server answered again`);
    expect(back.ms).toBeLessThan(upperBoundMs);
    expect((await browser().login(user)).url).toBe('/menu');
  });

  it("streams the live flow view's moves again after Redis came back", async () => {
    const controller = new AbortController();
    const response = await fetch(`${web.url}/flow/events`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    let streamed = false;
    const reading = (async () => {
      while (!text.includes('"to":"signedIn.menu"'))
        text += new TextDecoder().decode((await reader.read()).value);
      streamed = true;
    })().catch(() => {});
    // the view's own connection may come back a moment after the store's: log in until a move shows
    const deadline = Date.now() + 5_000;
    while (!streamed && Date.now() < deadline) {
      await browser().login(user);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    controller.abort();
    await reading;
    expect(text).toContain('"event":"LOGIN"');
    expect(text).toContain('"to":"signedIn.menu"');
  });
});
