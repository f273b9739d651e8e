/** Hardening, each control shown to work: rate limits, lockout, audit trail, session ends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, postForm, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ LOGIN_LOCKOUT_ATTEMPTS: '3', RATE_LIMIT_PER_MINUTE: '50' });
});
afterAll(() => harness.close());

async function loginAttempt(browser: Browser, userId: string, password: string) {
  await browser.get('/');
  await browser.press('GO_LOGIN');
  return browser.press('LOGIN', { userId, password });
}

async function auditOf(userRef: string) {
  const { rows } = await harness.pool.query(
    'SELECT kind, outcome, detail, host(ip) AS ip FROM audit_events WHERE user_ref = $1 ORDER BY id',
    [userRef],
  );
  return rows;
}

describe('brute force', () => {
  it('locks the account after the configured failures, with the same message as a wrong password', async () => {
    const user = await createUser(harness.pool);
    for (let i = 0; i < 3; i++) {
      const page = await loginAttempt(new Browser(harness.app), user.userId, 'Wrong#pass1');
      expect(page.html).toContain('WZBAM002E');
    }
    const locked = await loginAttempt(new Browser(harness.app), user.userId, user.password);
    expect(locked.url).toBe('/login');
    expect(locked.html).toContain('WZBAM002E');
    const audit = await auditOf(user.id);
    expect(audit.map((row) => `${row.kind}:${row.outcome}`)).toEqual([
      'login:failure',
      'login:failure',
      'login:failure',
      'lockout:success',
      'login:failure',
    ]);
    expect(audit[4].detail).toEqual({ reason: 'locked' });
    expect(audit[0].ip).toBe('127.0.0.1');
    expect(JSON.stringify(audit)).not.toContain('Wrong#pass1');
  });

  it('limits login POSTs per IP and answers with the coded "too many attempts" page', async () => {
    const limited = await startHarness({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const browser = new Browser(limited.app);
      await browser.get('/');
      await browser.press('GO_LOGIN');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await postForm(
          limited.app,
          '/login',
          { _action: 'LOGIN', _step: 'x', userId: '', password: '' },
          { remoteAddress: '198.51.100.7' },
        );
        statuses.push(response.statusCode);
        if (response.statusCode === 429) expect(response.body).toContain('WZBAM320E');
      }
      expect(statuses).toEqual([303, 303, 303, 429]);
      // another client is not affected
      const other = await limited.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '198.51.100.8',
      });
      expect(other.statusCode).toBe(303);
    } finally {
      await limited.close();
    }
  });
});

describe('new sessions', () => {
  it('are limited per client address with the coded "too many attempts" page; another address is not affected', async () => {
    const limited = await startHarness({ SESSION_CREATION_PER_MINUTE: '3' });
    try {
      const visitor = new Browser(limited.app);
      const home = await visitor.get('/');
      const start = (remoteAddress: string) =>
        postForm(
          limited.app,
          '/',
          { _action: 'GO_LOGIN', _step: home.step },
          { cookie: visitor.cookieHeader(), remoteAddress },
        );
      const sessions = await limited.store.count();
      const burst = [];
      for (let i = 0; i < 5; i++) burst.push(await start('198.51.100.7'));
      expect(burst.map((answer) => answer.statusCode)).toEqual([303, 303, 303, 429, 429]);
      for (const refused of burst.slice(3)) {
        expect(refused.body).toContain('WZBAM320E');
        expect(refused.headers['set-cookie']).toBeUndefined();
      }
      // an emailed link starts a session too: counted the same
      const link = await limited.app.inject({
        method: 'GET',
        url: '/password/register?token=x',
        remoteAddress: '198.51.100.7',
      });
      expect(link.statusCode).toBe(429);
      expect(await limited.store.count()).toBe(sessions + 3);
      const other = await start('198.51.100.8');
      expect(other.statusCode).toBe(303);
      expect(other.headers.location).toMatch(/^\/login\?k=/);
    } finally {
      await limited.close();
    }
  });
});

describe('sessions', () => {
  it('destroys the server-side state at logout: replaying the old cookie gets nothing', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    expect(await harness.redis.exists(key)).toBe(1);
    const oldCookies = new Map(browser.cookies);
    await browser.press('LOGOUT');
    expect(await harness.redis.exists(key)).toBe(0);
    const replay = new Browser(harness.app);
    replay.cookies = oldCookies;
    expect((await replay.get('/menu')).url).toBe('/timed-out');
  });

  it('gives a session cookie with a changed or missing signature nothing of the session it names, after the genuine one was used', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    const genuine = String(browser.cookies.get('zairyu_session'));
    const [id, signature = ''] = decodeURIComponent(genuine).split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const forged of [`${id}.${flipped}`, String(id)]) {
      const stranger = new Browser(harness.app);
      stranger.cookies.set('zairyu_session', encodeURIComponent(forged));
      const page = await stranger.get('/menu');
      expect(page.url, forged).not.toBe('/menu');
      expect(page.html).not.toContain(user.userId);
    }
    expect((await browser.refresh()).url).toBe('/menu');
  });

  it('records a successful login in the audit trail', async () => {
    const user = await createUser(harness.pool);
    await new Browser(harness.app).login(user);
    expect((await auditOf(user.id)).map((row) => `${row.kind}:${row.outcome}`)).toEqual(['login:success']);
  });
});

describe('the visit cookie', () => {
  it('is cleared by the answer that gives the browser its session cookie', async () => {
    const visitor = new Browser(harness.app);
    const home = await visitor.get('/');
    expect(visitor.cookies.has('zairyu_visit')).toBe(true);
    const response = await postForm(
      harness.app,
      '/',
      { _action: 'GO_LOGIN', _step: home.step },
      { cookie: visitor.cookieHeader() },
    );
    const cookies = [response.headers['set-cookie']].flat().map(String);
    expect(cookies.some((line) => /^zairyu_session=[^;]+;/.test(line))).toBe(true);
    expect(cookies.find((line) => line.startsWith('zairyu_visit='))).toMatch(
      /^zairyu_visit=;.*Expires=Thu, 01 Jan 1970/,
    );
  });
});

describe('served over https', () => {
  it('names the cookie __Host-, marks it Secure, HttpOnly and SameSite, and sends HSTS', async () => {
    const secure = await startHarness({ BASE_URL: 'https://portal.example.jp' });
    try {
      const visitor = new Browser(secure.app);
      const home = await visitor.get('/');
      expect(visitor.cookies.has('__Host-zairyu_visit')).toBe(true);
      const response = await postForm(
        secure.app,
        '/',
        { _action: 'GO_LOGIN', _step: home.step },
        { cookie: visitor.cookieHeader() },
      );
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/^__Host-zairyu_session=[^;]+;/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await secure.close();
    }
  });
});

describe('served over https: the language cookie and HSTS', () => {
  let secure: Harness;
  beforeAll(async () => {
    secure = await startHarness({ BASE_URL: 'https://portal.example.jp' });
  });
  afterAll(() => secure.close());

  it('names the language cookie __Host-lang, Secure, HttpOnly, SameSite=Lax, host-only, and follows it', async () => {
    const switched = await secure.app.inject({ method: 'GET', url: '/?lang=en' });
    const cookie = String(switched.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-lang=en;/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const english = await secure.app.inject({ method: 'GET', url: '/', cookies: { '__Host-lang': 'en' } });
    expect(english.body).toContain('<html lang="en"');
    // a cookie without the prefix, as a sibling host could plant, is not read
    const planted = await secure.app.inject({ method: 'GET', url: '/', cookies: { lang: 'en' } });
    expect(planted.body).toContain('<html lang="ja"');
  });

  it.each([
    ['a page', '/'],
    ['an unknown URL', '/no/such/page'],
    ['an asset', '/assets/site.css'],
  ])('sends HSTS for at least a year with includeSubDomains on %s', async (_what, url) => {
    const response = await secure.app.inject({ method: 'GET', url });
    const hsts = String(response.headers['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toMatch(/;\s*includeSubDomains/);
  });
});
