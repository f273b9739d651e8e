/**
 * The engine under attack, black-box over HTTP against real PostgreSQL, Redis and SMTP: a planted
 * pre-login cookie, empty and absent step tokens, logins racing a password change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type MailHarness, startMailHarness, type TestUser } from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

type Answer = Awaited<ReturnType<MailHarness['app']['inject']>>;

/** A request that carries only `cookie` (the attacker's copy of the planted session). */
function withCookie(cookie: string, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  return harness.app.inject({
    method,
    url,
    headers: {
      cookie,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    payload: form ? new URLSearchParams(form).toString() : undefined,
  });
}

/** The session id an answer hands out, if it sets one (a cleared cookie hands out none). */
function handedSession(answer: Answer): string | undefined {
  const lines = [answer.headers['set-cookie'] ?? []].flat().map(String);
  const set = lines.map((line) => /zairyu_session=([^;]*)/.exec(line)?.[1]).find((value) => value);
  return set || undefined;
}

/** A fresh user, logged in, on the Change Password page. */
async function atChangePassword(): Promise<{ user: TestUser; browser: Browser }> {
  const user = await createUser(harness.pool);
  const browser = new Browser(harness.app);
  await browser.login(user);
  await browser.press('GO_USER_INFO');
  await browser.press('GO_CHANGE_PASSWORD');
  return { user, browser };
}

function cookieOf(browser: Browser): string {
  return [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * Everything an attacker holding only the old cookie and the consumed step token can send:
 * the consumed step again (following every redirect with the old cookie), any other token,
 * GETs of the signed-in pages, and the keep-alive. Answers what came back.
 */
async function attackWithOldId(cookie: string, url: string, action: string, consumed: string) {
  const answers: Answer[] = [];
  /** Where each request but the first repeat ended up, its redirects followed. */
  const endings: string[] = [];
  const send = async (method: 'GET' | 'POST', target: string, form?: Record<string, string>) => {
    let answer = await withCookie(cookie, method, target, form);
    let at = target;
    answers.push(answer);
    for (let hops = 0; answer.statusCode === 303 && hops < 5; hops++) {
      at = String(answer.headers.location);
      answer = await withCookie(cookie, 'GET', at);
      answers.push(answer);
    }
    endings.push(at);
  };
  const repeat = await withCookie(cookie, 'POST', url, { _step: consumed, _action: action });
  const after = await withCookie(cookie, 'GET', String(repeat.headers.location));
  answers.push(repeat, after);
  await send('POST', url, { _step: consumed, _action: action });
  for (const step of ['', 'forged-step-token']) await send('POST', url, { _step: step, _action: action });
  await send('POST', url, { _action: action });
  for (const page of ['/menu', '/user-info', '/password/changed', '/login', '/']) await send('GET', page);
  const keepAlive = await withCookie(cookie, 'POST', '/session/keep-alive', { _step: consumed });
  answers.push(keepAlive);
  return { answers, endings, repeat, after, keepAlive };
}

/** The repeat gets where the first move went and no cookie; that page, with the old id, asks to log in again. */
function expectLogInAgain(repeat: Answer, after: Answer, reached: string) {
  expect(repeat.statusCode).toBe(303);
  expect(repeat.headers.location).toBe(reached);
  expect(repeat.headers['set-cookie']).toBeUndefined();
  expect(after.statusCode).toBe(303);
  expect(after.headers.location).toBe('/timed-out');
}

function expectNothingOfTheVictim(answers: Answer[], victim: TestUser) {
  for (const answer of answers) {
    expect(handedSession(answer), `${answer.statusCode} ${answer.headers.location ?? ''}`).toBeUndefined();
    expect(answer.body).not.toContain(victim.email);
    expect(answer.body).not.toContain('data-testid="user-name"');
  }
}

describe('session fixation: the old session id never reaches the new session', () => {
  it('gives an attacker who planted the pre-login cookie neither the new cookie nor the victim’s pages', async () => {
    const victim = await createUser(harness.pool);
    const attacker = new Browser(harness.app);
    await attacker.get('/');
    await attacker.press('GO_LOGIN');
    const planted = cookieOf(attacker);
    const consumed = attacker.page.step;

    const browser = new Browser(harness.app);
    browser.cookies = new Map(attacker.cookies);
    browser.page = { ...attacker.page };
    const menu = await browser.press('LOGIN', { userId: victim.userId, password: victim.password });
    expect(menu.url).toBe('/menu');

    const { answers, endings, repeat, after, keepAlive } = await attackWithOldId(
      planted,
      '/login',
      'LOGIN',
      consumed,
    );
    expectLogInAgain(repeat, after, menu.href);
    expect(new Set(endings)).toEqual(new Set(['/timed-out']));
    expectNothingOfTheVictim(answers, victim);
    expect(keepAlive.statusCode).toBe(410);
    // the victim's session is untouched by all of it
    expect((await browser.refresh()).url).toBe('/menu');
  });

  it('gives a holder of the old id nothing after the victim changes the password', async () => {
    const { user: victim, browser } = await atChangePassword();
    const stolen = cookieOf(browser);
    const consumed = browser.page.step;
    const done = await browser.press('CHANGE_PASSWORD', {
      currentPassword: victim.password,
      newPassword: 'Changed#2026',
      newPasswordConfirm: 'Changed#2026',
    });
    expect(done.url).toBe('/password/changed');

    const { answers, endings, repeat, after, keepAlive } = await attackWithOldId(
      stolen,
      '/password/change',
      'CHANGE_PASSWORD',
      consumed,
    );
    expectLogInAgain(repeat, after, done.href);
    expect(new Set(endings)).toEqual(new Set(['/timed-out']));
    expectNothingOfTheVictim(answers, victim);
    expect(keepAlive.statusCode).toBe(410);
    expect((await browser.refresh()).url).toBe('/password/changed');
  });
});

describe('a planted pre-login session cannot wait for a login', () => {
  /** Moves the session's creation time back, as if it had been made `minutes` ago. */
  async function age(browser: Browser, minutes: number) {
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const raw = (await harness.redis.get(key)) as string;
    const createdAt = Date.now() - minutes * 60_000;
    await harness.redis.set(key, raw.replace(/"createdAt":\d+/, `"createdAt":${createdAt}`), 'KEEPTTL');
  }

  it('ends a session nobody signed in to an hour after it was made, however active; a signed-in one lives on', async () => {
    const visitor = new Browser(harness.app);
    await visitor.get('/');
    await visitor.press('GO_LOGIN');
    await age(visitor, 59);
    expect((await visitor.refresh()).url).toBe('/login');
    await age(visitor, 61);
    expect((await visitor.refresh()).url).toBe('/timed-out');

    const user = await createUser(harness.pool);
    const member = new Browser(harness.app);
    await member.login(user);
    await age(member, 61);
    expect((await member.refresh()).url).toBe('/menu');
  });
});

describe('step tokens', () => {
  it('runs a password change once while empty and absent step tokens are posted meanwhile: one change, one email', async () => {
    const { user, browser } = await atChangePassword();
    const cookie = cookieOf(browser);
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const change = (step?: string) =>
      withCookie(cookie, 'POST', '/password/change', {
        ...(step === undefined ? {} : { _step: step }),
        _action: 'CHANGE_PASSWORD',
        currentPassword: user.password,
        newPassword: 'Changed#2026',
        newPasswordConfirm: 'Changed#2026',
      });

    const first = change(browser.page.step);
    // the first POST has claimed its step and its effect runs: now the others arrive
    await expect
      .poll(async () => (await harness.redis.get(key))?.includes('"pendingSince":null'), {
        interval: 2,
      })
      .toBe(false);
    const meanwhile = await Promise.all([change(''), change(''), change(), change(), change(''), change()]);
    await first;
    expect(meanwhile.every((answer) => answer.statusCode === 303)).toBe(true);

    const { rows } = await harness.pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE user_ref = $1 AND kind = 'password_change' AND outcome = 'success'",
      [user.id],
    );
    expect(rows[0].n).toBe(1);
    expect(await harness.jobsFor(user.email)).toBe(1);
    await harness.mailTo(user.email);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a second email would have come by now
    expect(harness.smtp.messages.filter((message) => message.to.includes(user.email))).toHaveLength(1);
  });
});

describe('a login in flight while the password changes', () => {
  it('ends every one of 16 logins sent while the password changes: none survives it', async () => {
    const { user, browser: changer } = await atChangePassword();
    const logins = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const browser = new Browser(harness.app);
        await browser.get('/');
        await browser.press('GO_LOGIN');
        return browser;
      }),
    );
    const changed = changer.press('CHANGE_PASSWORD', {
      currentPassword: user.password,
      newPassword: 'Changed#2026',
      newPasswordConfirm: 'Changed#2026',
    });
    // spread over the change, so that some are verified before it commits and stored after it
    const landed = await Promise.all(
      logins.map(async (browser, n) => {
        await new Promise((resolve) => setTimeout(resolve, n * 12));
        return (await browser.press('LOGIN', { userId: user.userId, password: user.password })).url;
      }),
    );
    expect((await changed).url).toBe('/password/changed');
    const survivors = [];
    for (const browser of logins) if ((await browser.refresh()).url === '/menu') survivors.push(browser);
    // (some logins land on the menu first, the later ones find the new password)
    expect(landed).toContain('/menu');
    expect(survivors).toHaveLength(0);
  });
});
