/**
 * 2.5 Forgotten password over HTTP against the real app, PostgreSQL, Redis and SMTP: User
 * Information Confirmation, its completion page (the same whether or not the pair matched), the
 * emailed link, the new password, and the link's single use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  createUser,
  linkIn,
  type MailHarness,
  type Page,
  startMailHarness,
  type TestUser,
} from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

async function atForgotPassword(): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  await browser.press('GO_FORGOT_PASSWORD');
  return browser;
}

async function requestReset(userId: string, email: string): Promise<Browser> {
  const browser = await atForgotPassword();
  await browser.press('SEND_RESET', { userId, email });
  return browser;
}

/** The completion page with what differs between two requests (the step token, the address) taken out. */
function comparable(page: Page, email: string): string {
  return page.html.replaceAll(page.step, 'STEP').replaceAll(email, 'EMAIL');
}

async function login(user: TestUser, password: string) {
  return new Browser(harness.app).login({ ...user, password });
}

describe('forgotten password (2.5)', () => {
  it('shows the User Information Confirmation page and goes Back to the login page', async () => {
    const browser = await atForgotPassword();
    expect(browser.page.url).toBe('/password/forgot');
    expect(browser.page.html).toContain('<h1>利用者情報確認</h1>');
    expect(browser.page.html).toContain('パスワード再設定');
    expect(browser.page.html).toContain('value="HOME"');
    expect((await browser.press('BACK')).url).toBe('/login');
  });

  it('marks empty and malformed fields, keeping what was typed', async () => {
    const browser = await atForgotPassword();
    const empty = await browser.press('SEND_RESET', {});
    expect(empty.url).toBe('/password/forgot');
    expect(empty.html.match(/class="field__mark" aria-hidden="true">!</g)).toHaveLength(2);
    expect(empty.html).toContain('WZBAM001E');
    const bad = await browser.press('SEND_RESET', { userId: 'AB', email: 'not-an-address' });
    expect(bad.html).toContain('WZBAM010E');
    expect(bad.html).toContain('WZBAM030E');
    expect(bad.html).toContain('value="not-an-address"');
  });

  it('answers a matching and a non-matching pair with the same page; only the match gets an email', async () => {
    const user = await createUser(harness.pool);
    const stranger = `nobody-${user.userId}@example.com`;

    const matched = await requestReset(user.userId, user.email);
    expect(matched.page.url).toBe('/password/forgot/sent');
    expect(matched.page.html).toContain('利用者情報の確認が完了しました');
    expect(matched.page.html).toContain(`パスワード再設定のお知らせを ${user.email} 宛てに送信します。`);
    expect(matched.page.html).toContain('URLの有効期間は30分間です。');
    expect(matched.page.html).toContain('TEL：<a href="tel:05000000000">050-0000-0000</a>');
    expect(matched.page.html).toContain(
      '受付時間：月曜日～金曜日 9:00～17:00（国民の祝日に関する法律に規定する休日及び12月29日から翌年1月3日までを除く）',
    );

    const unmatched = await requestReset(user.userId, stranger);
    expect(unmatched.page.url).toBe('/password/forgot/sent');
    expect(comparable(unmatched.page, stranger)).toBe(comparable(matched.page, user.email));

    const unknown = await requestReset('zzzzz99999', stranger);
    expect(comparable(unknown.page, stranger)).toBe(comparable(matched.page, user.email));

    const mail = await harness.mailTo(user.email, 'パスワード再設定のお知らせ');
    expect(mail.text).toContain(`認証ID：${user.userId}`);
    expect(await harness.jobsFor(user.email)).toBe(1);
    // the job of a reset is committed before its completion page is shown: none means none was sent
    expect(await harness.jobsFor(stranger)).toBe(0);

    expect((await matched.press('BACK_TO_LOGIN')).url).toBe('/login');
  });

  it('resets the password with the emailed link, once', async () => {
    const user = await createUser(harness.pool);
    await requestReset(user.userId, user.email);
    const link = linkIn(await harness.mailTo(user.email, 'パスワード再設定のお知らせ'));

    const browser = new Browser(harness.app);
    const page = await browser.get(link);
    expect(page.url).toBe('/password/register');
    expect(page.html).toContain('新しいパスワードを登録してください。');
    expect(page.html).toContain(`<dd data-item="user.userId">${user.userId}</dd>`);
    const password = 'Renewed#2026';
    const done = await browser.press('SET_PASSWORD', { password, passwordConfirm: password });
    expect(done.url).toBe('/password/registered');
    expect(done.html).toContain('パスワードの登録が完了しました');
    await harness.mailTo(user.email, 'パスワード登録完了のお知らせ');

    expect((await browser.press('BACK_TO_LOGIN')).url).toBe('/login');
    expect((await login(user, password)).url).toBe('/menu');
    const old = await login(user, user.password);
    expect(old.url).toBe('/login');
    expect(old.html).toContain('WZBAM002E');

    const reused = await new Browser(harness.app).get(link);
    expect(reused.url).toBe('/password/link-invalid');
    expect(reused.html).toContain('WZBAM310E');
  });

  it('refuses a link past its lifetime', async () => {
    const user = await createUser(harness.pool);
    await requestReset(user.userId, user.email);
    const link = linkIn(await harness.mailTo(user.email, 'パスワード再設定のお知らせ'));
    // the 30 minutes pass
    await harness.pool.query(
      `UPDATE password_tokens SET expires_at = now() - interval '1 second' WHERE user_ref = $1`,
      [user.id],
    );
    const page = await new Browser(harness.app).get(link);
    expect(page.url).toBe('/password/link-invalid');
    expect(page.html).toContain('WZBAM310E');
  });

  it('logs the user out of other browsers when the password is reset', async () => {
    const user = await createUser(harness.pool);
    const elsewhere = new Browser(harness.app);
    await elsewhere.login(user);
    await requestReset(user.userId, user.email);
    const link = linkIn(await harness.mailTo(user.email, 'パスワード再設定のお知らせ'));
    const browser = new Browser(harness.app);
    await browser.get(link);
    const done = await browser.press('SET_PASSWORD', {
      password: 'Renewed#2026',
      passwordConfirm: 'Renewed#2026',
    });
    expect(done.html).toContain('そちらは自動的にログアウトしました。');
    expect((await elsewhere.get('/menu')).url).not.toBe('/menu');
  });
});
