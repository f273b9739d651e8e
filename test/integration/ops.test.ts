/** Operations: liveness, readiness, operator-only metrics, and logs free of personal data. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/ops/logging.ts';
import { Browser, createUser, type Harness, postForm, startHarness, unreachableStore } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('health', () => {
  it('is alive and ready when PostgreSQL, Redis and the queue answer', async () => {
    expect((await harness.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await harness.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', sessions: 'ok', queue: 'ok' },
    });
  });

  it('is not ready, and says which, when Redis cannot be reached', async () => {
    const unreachable = unreachableStore();
    const broken = await startHarness({}, { store: unreachable.store });
    try {
      const ready = await broken.app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks).toMatchObject({ postgres: 'ok', sessions: 'unavailable' });
      // and a user sees a coded page in their language, not a stack trace
      const visitor = new Browser(broken.app);
      visitor.cookies.set('lang', 'en');
      await visitor.get('/');
      const page = await postForm(
        broken.app,
        '/',
        { _action: 'GO_LOGIN', _step: visitor.page.step },
        { cookie: visitor.cookieHeader() },
      );
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('WZBAM900E: The system is temporarily unavailable.');
    } finally {
      await broken.close();
      unreachable.close();
    }
  });
});

describe('metrics', () => {
  it('counts transitions by page and event, for loopback clients only without a token', async () => {
    await new Browser(harness.app).login(await createUser(harness.pool));
    const response = await harness.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(
      /zairyu_transitions_total\{from="login",event="LOGIN",to="signedIn.menu"\} \d+/,
    );
    expect(response.body).toContain('http_request_duration_seconds_bucket');
    expect(response.body).toContain('zairyu_active_sessions');
    expect(response.body).toContain('zairyu_argon2_pool_saturation');
    const remote = await harness.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(401);
  });

  it('requires the operator token when one is set', async () => {
    const guarded = await startHarness({ OPERATOR_TOKEN: 'operator-token-0123456789' });
    try {
      expect((await guarded.app.inject('/metrics')).statusCode).toBe(401);
      const ok = await guarded.app.inject({
        url: '/metrics',
        headers: { authorization: 'Bearer operator-token-0123456789' },
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('logs', () => {
  it('carry request ids and hashed sessions, never passwords, emails, cookies or tokens', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await startHarness(
      {},
      {
        logger: { ...(loggerOptions('info') as object), stream },
      },
    );
    try {
      const user = await createUser(logged.pool);
      const browser = new Browser(logged.app);
      await browser.login(user);
      await browser.get('/password/register?token=secret-link-token-value');
      const log = lines.join('');
      expect(log).toContain('"reqId"');
      expect(log).toMatch(/"session":"[A-Za-z0-9_-]{12}"/);
      for (const secret of [user.password, user.email, 'secret-link-token-value', 'zairyu_session=']) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await logged.close();
    }
  });
});

describe('timeout warning', () => {
  it('refreshes the idle timer with the page step token only, without moving the session', async () => {
    const browser = new Browser(harness.app);
    await browser.login(await createUser(harness.pool));
    expect(browser.page.html).toContain('data-idle-seconds="1800"');
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    await harness.redis.pexpire(key, 5_000);
    const keepAlive = (form: Record<string, string>) =>
      postForm(harness.app, '/session/keep-alive', form, { cookie: browser.cookieHeader() });
    for (const forged of [{ _step: 'x' }, { _step: '' }, {}] as Record<string, string>[]) {
      expect((await keepAlive(forged)).statusCode).toBe(410);
      // a wrong, empty or absent token does not keep the session alive either
      expect(await harness.redis.pttl(key)).toBeLessThanOrEqual(5_000);
    }
    const kept = await keepAlive({ _step: browser.page.step });
    expect(kept.statusCode).toBe(204);
    expect(await harness.redis.pttl(key)).toBeGreaterThan(60_000);
    expect((await browser.refresh()).url).toBe('/menu');
  });
});
