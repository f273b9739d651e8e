/** The foundation flow over HTTP against real PostgreSQL and Redis: login, menu, Back, timeouts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/messages.ts';
import { Browser, createUser, type Harness, postForm, startHarness, type TestUser } from './harness.ts';

/** The User Information Input page's fields, valid, as the Search picker leaves them. */
const registrationFields = {
  name: 'TEST MADOGUCHI',
  sex: 'female',
  birthDate: '1990-04-01',
  municipalityCode: '13101',
  street: '１－１－１',
  phone: '0312345678',
  email: 'visitor@example.com',
  emailConfirm: 'visitor@example.com',
};

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
    const sessions = await harness.store.count();
    const page = await browser.get('/');
    expect(page.status).toBe(200);
    expect(page.html).toContain('在留申請オンラインシステム');
    expect(page.html).toContain('2019/07/25');
    expect(browser.sessionId()).toBeUndefined();
    expect(await harness.store.count()).toBe(sessions);
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
    expect(empty.html).toMatch(/<title>エラー：/);
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
    const refreshed = await browser.refresh();
    expect(refreshed.url).toBe('/menu');
    expect(refreshed.html).toContain('TEST MADOGUCHI');
  });

  it('gives every render a key of its own in its URL, new on every move, never the step token', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const first = browser.page;
    const again = await browser.press('LOGIN', { userId: '', password: '' });
    expect(again.url).toBe('/login');
    expect(first.href).toMatch(/^\/login\?k=\d+$/);
    expect(again.href).toMatch(/^\/login\?k=\d+$/);
    expect(again.href).not.toBe(first.href);
    expect(again.href).not.toContain(again.step);
    expect((await browser.press('HOME')).href).toMatch(/^\/\?k=\d+$/);
  });

  it('ends a signed-in session on Back after a page was shown again with errors; a refresh of it keeps it', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.press('GO_USER_INFO');
    await browser.press('GO_CHANGE_PASSWORD');
    const before = browser.page.href;
    const shownAgain = await browser.press('CHANGE_PASSWORD', {});
    expect(shownAgain.url).toBe('/password/change');
    expect(shownAgain.html).toContain('WZBAM001E');
    const refreshed = await browser.refresh();
    expect(refreshed.url).toBe('/password/change');
    expect(refreshed.html).toContain('WZBAM001E');
    expect(refreshed.html).toContain('data-testid="user-name"');

    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const back = await browser.get(before);
    expect(back.url).toBe('/invalid-operation');
    expect(back.html).toContain(translate('invalidOperation.body', 'ja'));
    expect(await harness.redis.exists(key)).toBe(0);
  });

  it('treats a GET of the current page without its key, or with a stale one, as out of sequence', async () => {
    for (const stale of ['/menu', '/menu?k=1', '/menu?k=abc']) {
      const browser = new Browser(harness.app);
      await browser.login(user);
      const key = `${harness.prefix}s:${browser.sessionId()}`;
      expect((await browser.get(stale)).url).toBe('/invalid-operation');
      expect(await harness.redis.exists(key)).toBe(0);
    }
  });

  it('tells a visitor who never logged in, on Back from the registration confirmation, that the entry was discarded, not that they logged out', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_REGISTER');
    const input = browser.page.href;
    await browser.press('CONFIRM_REGISTRATION', registrationFields);
    expect(browser.page.url).toBe('/register/confirm');
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const back = await browser.get(input);
    expect(back.url).toBe('/invalid-operation');
    expect(back.html).toContain(translate('invalidOperation.visitor.body', 'ja'));
    expect(back.html).not.toContain('ログアウト');
    expect(await harness.redis.exists(key)).toBe(0);
    const english = await browser.get(`${back.href}&lang=en`);
    expect(english.html).toContain('the information you were entering has been discarded');
    expect(english.html).not.toMatch(/logged out/i);
  });

  it('keeps the render key across the language switch, and the session with it', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    const menu = browser.page.href;
    const english = await browser.get(`${menu}&lang=en`);
    expect(english.href).toBe(menu);
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain('data-testid="user-name"');
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

  it("refuses a button of another page with the current step token each time, while the same page's own button goes on working (the state's remembered answers)", async () => {
    for (let round = 0; round < 3; round++) {
      const browser = new Browser(harness.app);
      await browser.login(user);
      await browser.press('GO_USER_INFO');
      expect(browser.page.url).toBe('/user-info');
      await browser.press('BACK');
      expect(browser.page.url).toBe('/menu');
      await browser.press('GO_USER_INFO');
      // the menu's button, posted from the user-information page with its own valid step token
      const page = await browser.press('GO_USER_INFO');
      expect(page.url, `round ${round}`).toBe('/invalid-operation');
    }
  });

  it('answers a repeated login POST with the page the first reached, runs it once, and hands the new id only to the first', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const step = browser.page.step;
    const form = { _step: step, _action: 'LOGIN', userId: user.userId, password: user.password };
    const login = () => postForm(harness.app, '/login', form, { cookie: browser.cookieHeader() });
    const [a, b] = await Promise.all([login(), login()]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(a.headers.location).toMatch(/^\/menu\?k=\d+$/);
    expect(b.headers.location).toBe(a.headers.location);
    // one login, one new session, whose id only the request that made it hands out
    const cookieOf = (r: typeof a) => /zairyu_session=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1];
    const handed = [cookieOf(a), cookieOf(b)].filter(Boolean) as string[];
    expect(handed).toHaveLength(1);
    const sessionId = decodeURIComponent(handed[0] as string).split('.')[0] as string;
    expect(await harness.redis.smembers(`${harness.prefix}u:${user.id}`)).toEqual([sessionId]);
  });
});

describe('a claim lost with its process', () => {
  it('is released with a new step token after a minute: the page renders with it and moves on', async () => {
    const browser = new Browser(harness.app);
    await browser.login(user);
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const consumed = browser.page.step;
    // as a POST leaves it when its process dies while its side effect runs
    const raw = (await harness.redis.get(key)) as string;
    const lost = raw
      .replace(/"step":"[^"]+"/, '"step":null')
      .replace(/"pendingSince":null/, `"pendingSince":${Date.now() - 61_000}`);
    await harness.redis.set(key, lost, 'KEEPTTL');
    const page = await browser.refresh();
    expect(page.url).toBe('/menu');
    expect(page.step).toMatch(/^[\w-]{43}$/);
    expect(page.step).not.toBe(consumed);
    expect((await browser.press('GO_USER_INFO')).url).toBe('/user-info');
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
