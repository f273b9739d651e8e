/**
 * The lockout against parallel guessing, over real HTTP against PostgreSQL and Redis: each guess of
 * a burst comes from its own fresh session with its own step token, as an attacker's would. What is
 * verified is read from the audit trail: every guess leaves one login row, and only a guess refused
 * before verification says "locked".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/i18n/errors.ts';
import { Browser, createUser, type Harness, overHttp, startHarness, type TestUser } from './harness.ts';

let harness: Harness;
let base: string;
beforeAll(async () => {
  // every browser of a burst comes from one address: the per-address limits are tested apart
  harness = await startHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
  base = await harness.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => harness.close());

const limit = () => harness.config.LOGIN_LOCKOUT_ATTEMPTS;
const wrong = 'Wrong#pass1';

function browser(lang: 'ja' | 'en' = 'ja'): Browser {
  const client = new Browser(overHttp(() => base));
  client.cookies.set('lang', lang);
  return client;
}

/** A browser of its own on the Login page: a fresh session and its own step token. */
async function onLoginPage(): Promise<Browser> {
  const client = browser();
  await client.get('/');
  await client.press('GO_LOGIN');
  return client;
}

const login = async (user: TestUser, password: string) =>
  (await onLoginPage()).press('LOGIN', { userId: user.userId, password });

async function auditOf(user: TestUser, kind: string) {
  const { rows } = await harness.pool.query<{ outcome: string; reason: string | null }>(
    `SELECT outcome, detail->>'reason' AS reason FROM audit_events WHERE user_ref = $1 AND kind = $2 ORDER BY id`,
    [user.id, kind],
  );
  return rows;
}

async function isLocked(user: TestUser): Promise<boolean> {
  const { rows } = await harness.pool.query<{ locked: boolean }>(
    'SELECT coalesce(locked_until > now(), false) AS locked FROM users WHERE id = $1',
    [user.id],
  );
  return rows[0]?.locked ?? false;
}

/** Guesses refused before verification say "locked"; every other row is a verified guess. */
const verified = (rows: { reason: string | null }[]) => rows.filter((row) => row.reason !== 'locked');

describe('a burst of parallel logins', () => {
  it('of 20 wrong passwords and the right one verifies at most 10, locks the account, and lets the right one in only if it was verified', async () => {
    const user = await createUser(harness.pool);
    const browsers = await Promise.all(Array.from({ length: 21 }, onLoginPage));
    const pages = await Promise.all(
      browsers.map((client, i) =>
        client.press('LOGIN', { userId: user.userId, password: i === 20 ? user.password : wrong }),
      ),
    );

    const rows = await auditOf(user, 'login');
    expect(rows).toHaveLength(21);
    expect(verified(rows).length).toBeLessThanOrEqual(limit());
    expect(await isLocked(user)).toBe(true);
    expect((await auditOf(user, 'lockout')).length).toBeGreaterThanOrEqual(1);
    const rightGotIn = rows.some((row) => row.outcome === 'success');
    expect(pages[20]?.url).toBe(rightGotIn ? '/menu' : '/login');
    for (const page of pages.slice(0, 20)) {
      expect(page.url).toBe('/login');
      expect(page.html).toContain('data-code="WZBAM002E"');
    }
    // locked whatever the order: the right password now gets the wrong password's message
    const after = await login(user, user.password);
    expect(after.url).toBe('/login');
    expect(after.html).toContain('data-code="WZBAM002E"');
  });

  it('of 20 wrong passwords leaves the right one, sent after it, refused without verification', async () => {
    const user = await createUser(harness.pool);
    const browsers = await Promise.all(Array.from({ length: 20 }, onLoginPage));
    await Promise.all(
      browsers.map((client) => client.press('LOGIN', { userId: user.userId, password: wrong })),
    );
    const right = await login(user, user.password);
    expect(right.url).toBe('/login');
    expect(right.html).toContain('data-code="WZBAM002E"');
    const rows = await auditOf(user, 'login');
    expect(verified(rows)).toHaveLength(limit());
    expect(rows.at(-1)).toEqual({ outcome: 'failure', reason: 'locked' });
  });
});

describe('reservations left behind by a process that died mid-verification', () => {
  /** What such a process leaves: `limit` guesses in flight whose releases never come, reserved until `until`. */
  const leaveReservations = (user: TestUser, until: string) =>
    harness.pool.query(
      `UPDATE users SET attempts_in_flight = $2, attempts_until = now() + $3::interval WHERE id = $1`,
      [user.id, limit(), until],
    );

  it('refuse the right password while they last, and stop counting once they expire', async () => {
    const live = await createUser(harness.pool);
    await leaveReservations(live, '1 minute');
    expect((await login(live, live.password)).url).toBe('/login');
    const expired = await createUser(harness.pool);
    await leaveReservations(expired, '-1 second');
    expect((await login(expired, expired.password)).url).toBe('/menu');
  });
});

describe('logins one after another', () => {
  it('count each wrong password toward the lockout, and a correct login starts the count again', async () => {
    const user = await createUser(harness.pool);
    const wrongTimes = async (n: number) => {
      for (let i = 0; i < n; i++) expect((await login(user, wrong)).url).toBe('/login');
    };
    await wrongTimes(limit() - 1);
    expect((await login(user, user.password)).url).toBe('/menu');
    await wrongTimes(limit() - 1); // had the count not started again, the account would lock here
    expect((await login(user, user.password)).url).toBe('/menu');
    await wrongTimes(limit());
    expect(await isLocked(user)).toBe(true);
    expect((await login(user, user.password)).url).toBe('/login');
    expect((await auditOf(user, 'lockout')).map((row) => row.reason)).toEqual([`${limit()} failures`]);
  });
});

/** A browser signed in to the user, on the Password Input page. */
async function onPasswordPage(user: TestUser, lang: 'ja' | 'en') {
  const client = browser(lang);
  await client.get('/');
  await client.press('GO_LOGIN');
  expect((await client.press('LOGIN', { userId: user.userId, password: user.password })).url).toBe('/menu');
  await client.press('GO_USER_INFO');
  expect((await client.press('GO_CHANGE_PASSWORD')).url).toBe('/password/change');
  return client;
}

const changeTo = (client: Browser, current: string) =>
  client.press('CHANGE_PASSWORD', {
    currentPassword: current,
    newPassword: 'Hato#9new2Q',
    newPasswordConfirm: 'Hato#9new2Q',
  });

describe('wrong current passwords on the Password Input page', () => {
  it('sent 10 at once lock the account: the session ends with the coded message in its language, the right one afterwards changes nothing, and login is locked', async () => {
    const user = await createUser(harness.pool);
    const langs = Array.from({ length: limit() }, (_, i): 'ja' | 'en' => (i % 2 === 0 ? 'ja' : 'en'));
    const browsers: Browser[] = [];
    for (const lang of langs) browsers.push(await onPasswordPage(user, lang));
    const { rows: before } = await harness.pool.query('SELECT password_hash FROM users WHERE id = $1', [
      user.id,
    ]);

    const pages = await Promise.all(browsers.map((client) => changeTo(client, wrong)));
    const ended = pages.filter((page) => page.url === '/account-locked');
    expect(ended.length).toBeGreaterThanOrEqual(1);
    for (const page of pages.filter((p) => p.url !== '/account-locked')) {
      expect(page.url).toBe('/password/change');
      expect(page.html).toContain('data-code="WZBAM025E"');
    }
    expect(await isLocked(user)).toBe(true);

    // the right current password, in every session still open, ends it too and changes nothing
    for (const [i, client] of browsers.entries()) {
      const page =
        client.page.url === '/account-locked' ? client.page : await changeTo(client, user.password);
      const lang = langs[i] ?? 'ja';
      expect(page.url).toBe('/account-locked');
      expect(page.html).toContain('data-code="WZBAM340E"');
      expect(page.html).toContain(errorMessage('WZBAM340E', lang));
      expect(client.sessionId()).toBeUndefined();
    }
    const { rows: after } = await harness.pool.query('SELECT password_hash FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(after).toEqual(before);
    expect((await auditOf(user, 'password_change')).filter((row) => row.outcome === 'success')).toEqual([]);
    expect((await auditOf(user, 'lockout')).length).toBe(1);
    const relogin = await login(user, user.password);
    expect(relogin.url).toBe('/login');
    expect(relogin.html).toContain('data-code="WZBAM002E"');
  });

  it('count toward the same lockout as failed logins: the guess that reaches the limit there ends the session', async () => {
    const user = await createUser(harness.pool);
    const client = await onPasswordPage(user, 'en');
    for (let i = 0; i < limit() - 1; i++) expect((await login(user, wrong)).url).toBe('/login');
    // nine failed logins and one wrong current password: the limit, whichever page they came from
    const page = await changeTo(client, wrong);
    expect(page.url).toBe('/account-locked');
    expect(await isLocked(user)).toBe(true);
  });
});
