/**
 * An email change made with a session alone, and its way back (issue: "email change without the
 * password leads to takeover"), over HTTP against the real app, PostgreSQL, Redis and SMTP:
 * the change voids the reset links still out, and the notice to the former address carries a
 * single-use link to a confirmation page whose button puts that address back and ends every
 * session of the user. Opening the link alone changes nothing: mail scanners open links in advance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/db/users.ts';
import { maskAddress } from '../../src/mail/jobs.ts';
import type { Message } from '../support/smtp.ts';
import {
  Browser,
  createUser,
  linkIn,
  type MailHarness,
  requestReset,
  startMailHarness,
  type TestUser,
} from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

const RESET_SUBJECT = 'パスワード再設定のお知らせ';
const CHANGED_SUBJECT = 'メールアドレス変更のお知らせ';
const RESTORED_SUBJECT = 'メールアドレス変更取消しのお知らせ';

/** The path and query of the restore link in the notice to the former address. */
const restoreLinkIn = (message: Message) => linkIn(message, 'OPEN_RESTORE_LINK');

/** Opens the restore link in the browser (a fresh one unless given) and presses its button. */
async function confirmRestore(link: string, browser = new Browser(harness.app)) {
  const confirmation = await browser.get(link);
  if (confirmation.url !== '/email/restore') return confirmation;
  return browser.press('RESTORE_EMAIL');
}

/** Someone with the user's session (no password asked) changes the email address. */
async function changeEmail(user: TestUser, newEmail: string): Promise<Browser> {
  const session = new Browser(harness.app);
  await session.login(user);
  await session.press('GO_USER_INFO');
  await session.press('GO_CHANGE_USER_INFO');
  const done = await session.press('CHANGE_USER_INFO', { email: newEmail, emailConfirm: newEmail });
  expect(done.url).toBe('/user-info/updated');
  return session;
}

/** "Forgot your password?" for the pair; answers the emailed link. */
async function resetLink(userId: string, email: string): Promise<string> {
  await requestReset(harness.app, userId, email);
  return linkIn(await harness.mailTo(email, RESET_SUBJECT));
}

/** A user whose email a session alone changed: the taker's browser and the former address's link. */
async function takenOver() {
  const user = await createUser(harness.pool);
  const takerEmail = `taker-${user.userId}@example.net`;
  const taker = await changeEmail(user, takerEmail);
  const restoreLink = restoreLinkIn(await harness.mailTo(user.email, CHANGED_SUBJECT));
  return { user, takerEmail, taker, restoreLink };
}

async function emailOf(user: TestUser): Promise<string | undefined> {
  return (await findUserById(harness.pool, user.id))?.email;
}

describe('email change and its way back', () => {
  it('a reset link sent to the former address no longer opens once a session alone has changed the email', async () => {
    const user = await createUser(harness.pool);
    const earlierLink = await resetLink(user.userId, user.email);
    await changeEmail(user, `taker-${user.userId}@example.net`);

    const page = await new Browser(harness.app).get(earlierLink);
    expect(page.url).toBe('/password/link-invalid');
    expect(page.html).toContain('data-code="WZBAM310E"');
  });

  it("the former address's notice carries a link that, opened from a mail reader on another site, restores it, ends the taker's session, voids a reset link sent to the new address, and works once only", async () => {
    const { user, takerEmail, taker, restoreLink } = await takenOver();
    const takersReset = await resetLink(user.userId, takerEmail);

    const owner = new Browser(harness.app);
    owner.headers = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const confirmation = await owner.get(restoreLink);
    expect(confirmation.url).toBe('/email/restore');
    expect(confirmation.html).toContain(
      `メールアドレスを変更前のメールアドレス ${maskAddress(user.email)} に戻します。`,
    );
    owner.headers = { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' };
    const restored = await owner.press('RESTORE_EMAIL');
    expect(restored.url).toBe('/email/restored');
    expect(restored.html).toContain('メールアドレスを変更前のメールアドレスに戻しました。');
    expect(restored.html).toContain(`メールアドレス変更取消しのお知らせを ${user.email} 宛てに送信します。`);
    expect(restored.html).toContain('「パスワードを忘れた場合」からパスワードを再設定してください');
    expect(await emailOf(user)).toBe(user.email);

    // the taker's next request finds the session ended
    expect((await taker.refresh()).url).toBe('/timed-out');
    // the reset link the taker had sent to the new address is void
    expect((await new Browser(harness.app).get(takersReset)).url).toBe('/password/link-invalid');
    // both addresses are told
    expect((await harness.mailTo(user.email, RESTORED_SUBJECT)).text).toContain(user.email);
    expect((await harness.mailTo(takerEmail, RESTORED_SUBJECT)).text).toContain(user.email);
    const { rows } = await harness.pool.query(
      "SELECT outcome FROM audit_events WHERE user_ref = $1 AND kind = 'email_restore'",
      [user.id],
    );
    expect(rows).toEqual([{ outcome: 'success' }]);

    // once only: the used link no longer opens the confirmation page
    const again = await new Browser(harness.app).get(restoreLink);
    expect(again.url).toBe('/email/restore-failed');
    expect(again.html).toContain('data-code="WZBAM345E"');
  });

  it('a password set from a reset link to the new address leaves the restore link working, and the restore ends the session logged in with that password', async () => {
    const { user, takerEmail, restoreLink } = await takenOver();

    const takersPassword = 'Taker#Pass9x';
    const reset = new Browser(harness.app);
    await reset.get(await resetLink(user.userId, takerEmail));
    const set = await reset.press('SET_PASSWORD', {
      password: takersPassword,
      passwordConfirm: takersPassword,
    });
    expect(set.url).toBe('/password/registered');
    const taker = new Browser(harness.app);
    expect((await taker.login({ ...user, password: takersPassword })).url).toBe('/menu');

    expect((await confirmRestore(restoreLink)).url).toBe('/email/restored');
    expect(await emailOf(user)).toBe(user.email);
    expect((await taker.refresh()).url).toBe('/timed-out');
  });

  it('a restore link whose address another account has taken meanwhile shows WZBAM346E, leaves the address, ends the sessions, and still works once the address is free', async () => {
    const { user, takerEmail, taker, restoreLink } = await takenOver();
    const other = await createUser(harness.pool, { email: user.email.toUpperCase() });

    const refused = await confirmRestore(restoreLink);
    expect(refused.status).toBe(200);
    expect(refused.url).toBe('/email/restore-failed');
    expect(refused.html).toContain('data-code="WZBAM346E"');
    expect(await emailOf(user)).toBe(takerEmail);
    expect((await taker.refresh()).url).toBe('/timed-out');

    await harness.pool.query('UPDATE users SET email = $2 WHERE id = $1', [other.id, `moved-${other.email}`]);
    expect((await confirmRestore(restoreLink)).url).toBe('/email/restored');
    expect(await emailOf(user)).toBe(user.email);
  });

  it('an unknown restore token shows WZBAM345E on the coded error page, in English too', async () => {
    const browser = new Browser(harness.app);
    const page = await browser.get(
      '/email/restore?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&lang=en',
    );
    expect(page.status).toBe(200);
    expect(page.url).toBe('/email/restore-failed');
    expect(page.html).toContain('WZBAM345E: This link is invalid or has expired.');
  });

  it("opening the former address's link (as a mail scanner would) changes nothing until its button is pressed", async () => {
    const { user, takerEmail, taker, restoreLink } = await takenOver();
    const takersReset = await resetLink(user.userId, takerEmail);
    const restoreTokens = () =>
      harness.pool.query(
        "SELECT used_at FROM password_tokens WHERE user_ref = $1 AND purpose = 'restore-email'",
        [user.id],
      );

    for (let scan = 0; scan < 3; scan++) {
      const scanned = await new Browser(harness.app).get(restoreLink);
      expect(scanned.url).toBe('/email/restore');
      expect(scanned.html).toContain('data-testid="restoreConfirm"');
    }
    expect(await emailOf(user)).toBe(takerEmail);
    expect((await taker.refresh()).url).toBe('/user-info/updated');
    expect((await new Browser(harness.app).get(takersReset)).url).toBe('/password/register');
    expect((await restoreTokens()).rows).toEqual([{ used_at: null }]);
    const { rows: audits } = await harness.pool.query(
      "SELECT 1 FROM audit_events WHERE user_ref = $1 AND kind = 'email_restore'",
      [user.id],
    );
    expect(audits).toEqual([]);

    const owner = new Browser(harness.app);
    await owner.get(restoreLink);
    expect((await owner.press('RESTORE_EMAIL')).url).toBe('/email/restored');
    expect(await emailOf(user)).toBe(user.email);
    expect((await taker.refresh()).url).toBe('/timed-out');
    expect((await new Browser(harness.app).get(takersReset)).url).toBe('/password/link-invalid');
    expect((await restoreTokens()).rows[0]?.used_at).toBeInstanceOf(Date);
  });

  it('the confirmation page names the former address masked and what a restore does, in English too, and its Back to Homepage button leaves the link unused', async () => {
    const { user, takerEmail, restoreLink } = await takenOver();
    const owner = new Browser(harness.app);
    const page = await owner.get(`${restoreLink}&lang=en`);
    expect(page.url).toBe('/email/restore');
    expect(page.html).toContain(
      `Your email address will be changed back to the one registered before the change, ${maskAddress(user.email)}`,
    );
    expect(page.html).not.toContain(user.email);
    expect(page.html).toContain('your user ID is logged out on every browser and device');
    expect(page.html).toContain('Restore my former email address');

    expect((await owner.press('HOME')).url).toBe('/');
    expect(await emailOf(user)).toBe(takerEmail);
    expect((await confirmRestore(restoreLink)).url).toBe('/email/restored');
  });

  it('a restore link does not open the Password Registration page', async () => {
    const { restoreLink } = await takenOver();
    const token = new URL(restoreLink, 'http://x').searchParams.get('token') ?? '';
    const page = await new Browser(harness.app).get(`/password/register?token=${encodeURIComponent(token)}`);
    expect(page.url).toBe('/password/link-invalid');
  });
});
