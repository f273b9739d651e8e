/**
 * Requests from another site, black-box over HTTP: refused with a coded 403 page before the
 * session is read, setting no cookie, while the entry URLs work from anywhere; and the homepage's
 * forms carry a token no other site can know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/db/tokens.ts';
import { Browser, createUser, type Harness, postForm, startHarness } from './harness.ts';

let harness: Harness;
let proxied: Harness;
beforeAll(async () => {
  harness = await startHarness();
  proxied = await startHarness({ BASE_URL: 'https://portal.example.jp' });
});
afterAll(async () => {
  await harness.close();
  await proxied.close();
});

const crossSite = { 'sec-fetch-site': 'cross-site' };

/** A signed-in browser on the menu, and its session record as stored. */
async function signedIn(on = harness) {
  const browser = new Browser(on.app);
  await browser.login(await createUser(on.pool));
  const key = `${on.prefix}s:${browser.sessionId()}`;
  return { browser, key, stored: await on.redis.get(key) };
}

function expectRefused(answer: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  expect(answer.statusCode).toBe(403);
  expect(answer.body).toContain('WZBAM330E');
  expect(answer.headers['set-cookie']).toBeUndefined();
}

describe('a request from another site', () => {
  it('is refused with the coded 403 page before the session is read: a POST with the right token moves nothing', async () => {
    const { browser, key, stored } = await signedIn();
    const answer = await postForm(
      harness.app,
      '/menu',
      { _step: browser.page.step, _action: 'LOGOUT' },
      { cookie: browser.cookieHeader(), headers: crossSite },
    );
    expectRefused(answer);
    expect(await harness.redis.get(key)).toBe(stored);
    expect((await browser.refresh()).url).toBe('/menu');
    expect((await browser.press('GO_USER_INFO')).url).toBe('/user-info');
  });

  it('is refused when a navigation from another site would end the session (any flow page, a terminal page, the language switch)', async () => {
    const { browser, key, stored } = await signedIn();
    for (const url of ['/menu', browser.page.href, '/login', '/logged-out', `${browser.page.href}&lang=en`]) {
      const answer = await harness.app.inject({
        method: 'GET',
        url,
        headers: { cookie: browser.cookieHeader(), ...crossSite },
      });
      expectRefused(answer);
    }
    expect(await harness.redis.get(key)).toBe(stored);
    expect((await browser.refresh()).html).toContain('<html lang="ja">');
  });

  it('answers in the language chosen before', async () => {
    const answer = await harness.app.inject({
      method: 'POST',
      url: '/',
      headers: { cookie: 'lang=en', ...crossSite },
    });
    expectRefused(answer);
    expect(answer.body).toContain('WZBAM330E: This request came from another site');
  });

  it('is refused as a POST whose Origin is not the service’s own, "null" included, even without fetch metadata', async () => {
    const { browser, key, stored } = await signedIn();
    for (const origin of ['https://evil.example', 'null', 'http://localhost:81']) {
      const answer = await postForm(
        harness.app,
        '/menu',
        { _step: browser.page.step, _action: 'LOGOUT' },
        { cookie: browser.cookieHeader(), headers: { origin } },
      );
      expectRefused(answer);
    }
    expect(await harness.redis.get(key)).toBe(stored);
    // the request's own host, when BASE_URL is unset
    const own = await postForm(
      harness.app,
      '/menu',
      { _step: browser.page.step, _action: 'GO_USER_INFO' },
      { cookie: browser.cookieHeader(), headers: { origin: 'http://localhost:80', host: 'localhost:80' } },
    );
    expect(own.statusCode).toBe(303);
    expect(own.headers.location).toMatch(/^\/user-info\?k=/);
  });

  it('with BASE_URL set, is refused as a POST from any other origin, the request’s own host included', async () => {
    const { browser, key, stored } = await signedIn(proxied);
    const post = (origin: string) =>
      postForm(
        proxied.app,
        '/menu',
        { _step: browser.page.step, _action: 'GO_USER_INFO' },
        { cookie: browser.cookieHeader(), headers: { origin, host: 'localhost:80' } },
      );
    for (const origin of [
      'http://portal.example.jp',
      'https://evil.portal.example.jp',
      'http://localhost:80',
    ])
      expectRefused(await post(origin));
    expect(await proxied.redis.get(key)).toBe(stored);
    expect((await post('https://portal.example.jp')).statusCode).toBe(303);
  });
});

describe('the entry URLs, from anywhere', () => {
  it('serve the homepage, the static assets and the error-code page to another site’s links', async () => {
    for (const url of ['/', '/assets/site.css', '/errors', '/?lang=en']) {
      const answer = await harness.app.inject({ method: 'GET', url, headers: crossSite });
      expect(answer.statusCode, url).toBeLessThan(400);
    }
  });

  it('show the homepage to another site’s link as to a visitor, leaving a signed-in session as it was', async () => {
    const { browser, key, stored } = await signedIn();
    for (const url of ['/', '/?lang=en']) {
      const answer = await harness.app.inject({
        method: 'GET',
        url,
        headers: { cookie: browser.cookieHeader(), ...crossSite },
      });
      expect(answer.statusCode, url).toBeLessThan(400);
      expect(String(answer.headers['set-cookie'] ?? ''), url).not.toContain('zairyu_session');
    }
    const home = await harness.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: browser.cookieHeader(), ...crossSite },
    });
    expect(home.body).toContain('value="GO_LOGIN"');
    expect(home.body).not.toContain(browser.page.step);
    expect(await harness.redis.get(key)).toBe(stored);
    expect((await browser.refresh()).url).toBe('/menu');
    // the same link followed on the site itself is Back to another page: out of sequence
    expect((await browser.get('/')).url).toBe('/invalid-operation');
  });

  it('open an emailed link from a mail reader on another site, through the redirect that follows', async () => {
    const user = await createUser(harness.pool);
    const token = await issueToken(harness.pool, user.id, 'reset', 30);
    const reader = new Browser(harness.app);
    reader.headers = crossSite; // a navigation started elsewhere stays cross-site through its redirects
    const page = await reader.get(`/password/register?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.url).toBe('/password/register');
    expect(page.html).toContain('name="password"');
    const invalid = await new Browser(harness.app);
    invalid.headers = crossSite;
    const refused = await invalid.get('/password/register?token=no-such-token');
    expect(refused.status).toBe(200);
    expect(refused.url).toBe('/password/link-invalid');
  });
});

describe('the homepage’s forms', () => {
  it('carry a token bound to the browser: without it, or with another browser’s, no session is made', async () => {
    const other = new Browser(harness.app);
    await other.get('/');
    const visitor = new Browser(harness.app);
    const home = await visitor.get('/');
    expect(home.step).toMatch(/^[\w-]{43}$/);
    expect(home.html).not.toContain('data-idle-seconds');
    const sessions = await harness.store.count();
    for (const [cookie, step] of [
      ['', undefined],
      ['', home.step],
      [visitor.cookieHeader(), undefined],
      [visitor.cookieHeader(), ''],
      [visitor.cookieHeader(), other.page.step],
      [other.cookieHeader(), home.step],
    ] as [string, string | undefined][]) {
      const answer = await postForm(
        harness.app,
        '/',
        { _action: 'GO_LOGIN', ...(step === undefined ? {} : { _step: step }) },
        { cookie },
      );
      expect(answer.statusCode).toBe(303);
      expect(answer.headers.location).toBe('/invalid-operation?v=visitor');
      expect(String(answer.headers['set-cookie'] ?? '')).not.toMatch(/zairyu_session=[^;]/);
    }
    expect(await harness.store.count()).toBe(sessions);
    expect((await visitor.press('GO_LOGIN')).url).toBe('/login');
  });
});
