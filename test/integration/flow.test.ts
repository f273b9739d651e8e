/** The foundation flow over HTTP against real PostgreSQL and Redis: login, menu, Back, timeouts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, startHarness, type TestUser } from './harness.ts';

let harness: Harness;
let user: TestUser;

beforeAll(async () => {
  harness = await startHarness();
  user = await createUser(harness.pool);
});
afterAll(() => harness.close());

describe('homepage → login → menu → log out', () => {
  it('shows the homepage to a visitor without creating a session', async () => {
    const browser = new Browser(harness.app);
    const page = await browser.get('/');
    expect(page.status).toBe(200);
    expect(page.html).toContain('在留申請オンラインシステム');
    expect(page.html).toContain('2019/07/25');
    expect(browser.cookies.size).toBe(0);
  });

  it('logs in, shows the name and the previous login, and logs out', async () => {
    const browser = new Browser(harness.app);
    const first = await browser.login(user);
    expect(first.url).toBe('/menu');
    expect(first.html).toContain('TEST MADOGUCHI');
    expect(first.html).toContain('(初回ログイン)');
    await browser.press('LOGOUT');
    expect(browser.page.url).toBe('/logged-out');

    const again = await new Browser(harness.app).login(user);
    expect(again.url).toBe('/menu');
    expect(again.html).toMatch(/data-testid="last-login">\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}</);
  });

  it('answers wrong credentials with the coded message and the user ID kept, an empty form with "!" on the fields', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const page = await browser.press('LOGIN', { userId: user.userId, password: 'Wrong#pass1' });
    expect(page.url).toBe('/login');
    expect(page.html).toContain('WZBAM002E');
    expect(page.html).toContain(`value="${user.userId}"`);
    expect(page.html).not.toContain('Wrong#pass1');

    const empty = await browser.press('LOGIN', { userId: '', password: '' });
    expect(empty.html).toContain('WZBAM001E');
    expect(empty.html).toContain('field--error');
    expect(empty.html).toMatch(/<title>エラー: /);
  });

  it('issues a new session id at login', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const before = [...browser.cookies.values()].join();
    await browser.press('LOGIN', { userId: user.userId, password: user.password });
    expect([...browser.cookies.values()].join()).not.toBe(before);
  });
});

describe('out of sequence (manual 1.4 item 7)', () => {
  it('logs out on the browser Back button and then requires a new login', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    expect(await harness.redis.exists(key)).toBe(1);
    const back = await browser.get('/login');
    expect(back.url).toBe('/invalid-operation');
    expect(back.html).toContain('data-testid="invalidOperation"');
    expect(await harness.redis.exists(key)).toBe(0);
    const menu = await browser.get('/menu');
    expect(menu.url).toBe('/');
  });

  it('keeps the user on the menu on a refresh', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    const refreshed = await browser.get('/menu');
    expect(refreshed.url).toBe('/menu');
    expect(refreshed.html).toContain('TEST MADOGUCHI');
  });

  it('refuses a stale step token, an unknown action and an event the page does not take', async () => {
    for (const [action, step] of [
      ['GO_USER_INFO', 'stale-token'],
      ['NO_SUCH_EVENT', undefined],
      ['GO_LOGIN', undefined],
    ] as const) {
      const browser = new Browser(harness.app);
      await browser.login(user);
      const page = await browser.press(action, {}, step);
      expect(page.url).toBe('/invalid-operation');
    }
  });

  it('answers a repeated POST of the step just taken like the first, and runs it once', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const step = browser.page.step;
    const form = { userId: user.userId, password: user.password };
    const [a, b] = await Promise.all([
      harness.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        payload: { _step: step, _action: 'LOGIN', ...form },
      }),
      harness.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        payload: { _step: step, _action: 'LOGIN', ...form },
      }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect([a.headers.location, b.headers.location]).toEqual(['/menu', '/menu']);
    // both land in the one session the single login created
    const cookieOf = (r: typeof a) => /zairyu_session=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1];
    expect(cookieOf(a)).toBeDefined();
    expect(cookieOf(a)).toBe(cookieOf(b));
    const sessionId = decodeURIComponent(cookieOf(a) as string).split('.')[0] as string;
    expect(await harness.redis.smembers(`${harness.prefix}u:${user.id}`)).toEqual([sessionId]);
  });
});

describe('timeouts', () => {
  it('shows the timed-out page after the idle timeout', async () => {
    const short = await startHarness({ SESSION_IDLE_SECONDS: '1' });
    try {
      const browser = new Browser(short.app);
      await browser.login(user);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      const page = await browser.get('/menu');
      expect(page.url).toBe('/timed-out');
      expect(page.html).toContain('data-testid="timedOut"');
      expect((await browser.get('/menu')).url).toBe('/');
    } finally {
      await short.close();
    }
  });

  it('treats a snapshot of another machine version as an expired session', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const raw = (await harness.redis.get(key)) as string;
    await harness.redis.set(key, raw.replace(/"machineVersion":"[^"]+"/, '"machineVersion":"old"'));
    expect((await browser.get('/menu')).url).toBe('/timed-out');
  });
});
