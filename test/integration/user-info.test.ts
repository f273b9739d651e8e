/**
 * 2.4 User information management over HTTP against the real app, PostgreSQL, Redis and SMTP: the
 * User Information page, Change User Information (with the Search picker) and Change Password,
 * their completion pages and the notifications they send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById, findUserProfile } from '../../src/db/users.ts';
import {
  Browser,
  createUser,
  type MailHarness,
  pickAddress,
  startMailHarness,
  type TestUser,
} from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

/** A fresh user, logged in in a browser of its own, on the User Information page. */
async function atUserInfo(): Promise<{ user: TestUser; browser: Browser }> {
  const user = await createUser(harness.pool);
  const browser = new Browser(harness.app);
  await browser.login(user);
  await browser.press('GO_USER_INFO');
  return { user, browser };
}

async function atChangeUserInfo() {
  const at = await atUserInfo();
  await at.browser.press('GO_CHANGE_USER_INFO');
  return at;
}

async function atChangePassword() {
  const at = await atUserInfo();
  await at.browser.press('GO_CHANGE_PASSWORD');
  return at;
}

function changePassword(
  browser: Browser,
  currentPassword: string,
  newPassword: string,
  confirm = newPassword,
) {
  return browser.press('CHANGE_PASSWORD', { currentPassword, newPassword, newPasswordConfirm: confirm });
}

describe('User Information page (2.4.2, 2.4.6)', () => {
  it('shows every registered item and leads to both changes and back to the menu', async () => {
    const { user, browser } = await atUserInfo();
    const page = browser.page;
    expect(page.url).toBe('/user-info');
    for (const [item, value] of [
      ['user.name', 'TEST MADOGUCHI'],
      ['user.sex', '男'],
      ['user.birthDate', '2000-01-01'],
      ['user.address', '北海道札幌市中央区'],
      ['user.street', '１－１－１霞ヶ関ハイツ２０２号'],
      ['user.phone', '123456789012'],
      ['user.authId', user.userId],
      ['user.email', user.email],
    ]) {
      expect(page.html).toContain(`<dd data-item="${item}">${value}</dd>`);
    }
    for (const action of ['GO_CHANGE_USER_INFO', 'GO_CHANGE_PASSWORD', 'BACK']) {
      expect(page.html).toContain(`value="${action}"`);
    }
    expect((await browser.press('BACK')).url).toBe('/menu');
  });
});

describe('Change User Information (2.4.3, 2.4.4)', () => {
  it('shows the current values, the manual hints and the Search note; Back returns to User Information', async () => {
    const { user, browser } = await atChangeUserInfo();
    const page = browser.page;
    expect(page.url).toBe('/user-info/change');
    expect(page.html).toContain(`<dd data-item="user.email">${user.email}</dd>`);
    expect(page.html).toContain('検索ボタンを押下して検索してください。');
    expect(page.html).toContain('半角数字10桁以上12桁以内');
    expect(page.html).not.toContain('class="field__required"');
    expect((await browser.press('BACK')).url).toBe('/user-info');
  });

  it('answers a form with nothing entered with WZBAM245E', async () => {
    const { browser } = await atChangeUserInfo();
    const page = await browser.press('CHANGE_USER_INFO', {});
    expect(page.url).toBe('/user-info/change');
    expect(page.html).toContain('WZBAM245E：変更する情報を入力してください。');
  });

  it('marks bad fields with "!" and keeps what was typed', async () => {
    const { browser } = await atChangeUserInfo();
    const page = await browser.press('CHANGE_USER_INFO', {
      street: '２－２',
      phone: '03-12ab',
      email: 'new@',
      emailConfirm: 'new@',
    });
    expect(page.url).toBe('/user-info/change');
    for (const code of ['WZBAM090E', 'WZBAM040E', 'WZBAM030E']) expect(page.html).toContain(code);
    expect(page.html.match(/class="field__mark" aria-hidden="true">!</g)).toHaveLength(3);
    expect(page.html).toContain('value="２－２"');
    expect(page.html).toContain('value="0312ab"');
    expect(page.html).toContain('value="new@"');
  });

  it('changes the address and phone via Search; no email is sent and the completion page says nothing of one (2.4.1)', async () => {
    const { user, browser } = await atChangeUserInfo();
    const picked = await pickAddress(browser, { street: '3-3-3', phone: '0398765432' }, '13101');
    expect(picked.prefectures.url).toBe('/user-info/change/address');
    expect(picked.prefectures.html).toContain('TEST MADOGUCHI');
    // signed in, the picker takes no Back to Homepage: only Back and Log out
    expect(picked.prefectures.html).not.toContain('value="HOME"');
    expect(picked.prefectures.html).toContain('value="LOGOUT"');
    const back = picked.form;
    expect(back.url).toBe('/user-info/change');
    expect(back.html).toContain('data-testid="chosen-address">東京都千代田区');
    expect(back.html).toContain('value="３－３－３"');
    expect(back.html).toContain('value="0398765432"');

    const done = await browser.press('CHANGE_USER_INFO', {
      municipalityCode: '13101',
      street: '３－３－３',
      phone: '0398765432',
    });
    expect(done.url).toBe('/user-info/updated');
    expect(done.html).toContain('<h1>更新完了</h1>');
    expect(done.html).toContain('利用者情報の更新が完了しました。');
    expect(done.html).not.toContain('data-testid="notified"');
    expect(done.html).not.toContain('宛てに送信します');
    expect(done.html).not.toContain('メールが届かない');
    expect(done.html).toContain('data-testid="helpdesk"');
    // the change and any email commit together: no job now means none is ever sent
    expect(await harness.jobsFor(user.email)).toBe(0);
    expect(await findUserById(harness.pool, user.id)).toMatchObject({
      municipality_code: '13101',
      street: '３－３－３',
      phone: '0398765432',
      email: user.email,
    });

    const info = await browser.press('BACK_TO_USER_INFO');
    expect(info.url).toBe('/user-info');
    expect(info.html).toContain('<dd data-item="user.address">東京都千代田区</dd>');
  });

  it('changes the email address: the completion page names the new one, both addresses are told', async () => {
    const { user, browser } = await atChangeUserInfo();
    const newEmail = `new-${user.userId}@example.org`;
    const done = await browser.press('CHANGE_USER_INFO', { email: newEmail, emailConfirm: newEmail });
    expect(done.url).toBe('/user-info/updated');
    expect(done.html).toContain(`メールアドレス変更完了のお知らせを ${newEmail} 宛てに送信します。`);
    expect(done.html).toContain('利用者情報が更新されていない可能性があります');
    const toOld = await harness.mailTo(user.email, 'メールアドレス変更のお知らせ');
    expect(toOld.text).toContain('新しいメールアドレス');
    const toNew = await harness.mailTo(newEmail, 'メールアドレス変更完了のお知らせ');
    expect(toNew.text).toContain(user.userId);
    expect(toNew.text).toContain('第三者が誤ってこのメールアドレスを登録した可能性があります');
    expect(await harness.jobsFor(user.email)).toBe(1);
    expect(await harness.jobsFor(newEmail)).toBe(1);
    expect((await findUserById(harness.pool, user.id))?.email).toBe(newEmail);

    // a later change of the phone alone, in the same session, names no address (in English too)
    await browser.get(`${browser.page.href}&lang=en`);
    await browser.press('BACK_TO_USER_INFO');
    await browser.press('GO_CHANGE_USER_INFO');
    const phone = await browser.press('CHANGE_USER_INFO', { phone: '0311112222' });
    expect(phone.url).toBe('/user-info/updated');
    expect(phone.html).toContain('The update of your user information has been completed');
    expect(phone.html).not.toContain('data-testid="notified"');
    expect(phone.html).not.toContain(newEmail);
    expect(phone.html).not.toContain('If you do not receive an email');
    expect(await harness.jobsFor(newEmail)).toBe(1);
  });

  it("shows a change in the user's other signed-in session too, never the copy it saw before", async () => {
    const { user, browser } = await atChangeUserInfo();
    const other = new Browser(harness.app);
    await other.login(user);
    expect((await other.press('GO_USER_INFO')).html).toContain(
      '<dd data-item="user.phone">123456789012</dd>',
    );
    await other.press('BACK');
    await browser.press('CHANGE_USER_INFO', { phone: '0311112222' });
    const after = await other.press('GO_USER_INFO');
    expect(after.html).toContain('<dd data-item="user.phone">0311112222</dd>');
  });

  it('counts every change of a shown item in profile_version, whoever makes it', async () => {
    const user = await createUser(harness.pool);
    const version = async () => (await findUserProfile(harness.pool, user.id))?.version ?? 0;
    const first = await version();
    await harness.pool.query('UPDATE users SET last_login_at = now(), failed_logins = 1 WHERE id = $1', [
      user.id,
    ]);
    expect(await version()).toBe(first);
    await harness.pool.query("UPDATE users SET name = 'OTHER NAME' WHERE id = $1", [user.id]);
    expect(await version()).toBe(first + 1);
  });

  it('refuses an email confirmation that differs, or is missing', async () => {
    const { browser } = await atChangeUserInfo();
    const differs = await browser.press('CHANGE_USER_INFO', {
      email: 'a@example.com',
      emailConfirm: 'b@example.com',
    });
    expect(differs.html).toContain('WZBAM032E');
    const missing = await browser.press('CHANGE_USER_INFO', { email: 'a@example.com' });
    expect(missing.html).toContain('WZBAM001E');
    expect(missing.html).toContain('href="#field-emailConfirm"');
  });
});

describe('Change Password (2.4.7)', () => {
  it('marks each empty field "Required" with the rule text', async () => {
    const { browser } = await atChangePassword();
    const page = browser.page;
    expect(page.url).toBe('/password/change');
    expect(page.html.match(/class="field__required">必須</g)).toHaveLength(3);
    expect(page.html).toContain('大文字と小文字は区別されます。');
    expect(page.html).toContain('例)CD67890!');
    const empty = await browser.press('CHANGE_PASSWORD', {});
    expect(empty.html.match(/class="field__mark" aria-hidden="true">!</g)).toHaveLength(3);
    expect(empty.html).toContain('WZBAM001E');
    expect((await browser.press('BACK')).url).toBe('/user-info');
  });

  it('applies the password rules and never shows a password back', async () => {
    const { user, browser } = await atChangePassword();
    const current = user.password;
    for (const [newPassword, newPasswordConfirm, code] of [
      ['Ab1#', 'Ab1#', 'WZBAM020E'],
      ['Abcdefgh1', 'Abcdefgh1', 'WZBAM021E'],
      ['Changed#2026', 'Changed#2027', 'WZBAM026E'],
      [current, current, 'WZBAM024E'],
    ] as [string, string, string][]) {
      const page = await changePassword(browser, current, newPassword, newPasswordConfirm);
      expect(page.url).toBe('/password/change');
      expect(page.html).toContain(code);
      for (const typed of [current, newPassword, newPasswordConfirm]) expect(page.html).not.toContain(typed);
    }
  });

  it('answers a wrong current password with WZBAM025E, marking Current password with "!" (1.4 item 4)', async () => {
    const { browser } = await atChangePassword();
    const page = await changePassword(browser, 'Wrong#pass1', 'Changed#2026');
    expect(page.url).toBe('/password/change');
    expect(page.html).toContain('WZBAM025E');
    expect(page.html.match(/data-mark-for="[^"]*"/g)).toEqual(['data-mark-for="currentPassword"']);
    expect(page.html).toMatch(/id="field-currentPassword"[^>]*aria-invalid="true"/);
    expect(page.html).toContain('id="field-currentPassword-error-WZBAM025E"');
    // the summary names the field and links to it
    expect(page.html).toContain('<a href="#field-currentPassword">現在のパスワード：WZBAM025E：');
  });

  it('changes the password: completion, email, the old password no longer works, other logins end', async () => {
    const { user, browser } = await atChangePassword();
    const elsewhere = new Browser(harness.app);
    await elsewhere.login(user);
    const password = 'Changed#2026';
    const done = await changePassword(browser, user.password, password);
    expect(done.url).toBe('/password/changed');
    // the manual's Update Complete page (2.4.5)
    expect(done.html).toContain('<h1>更新完了</h1>');
    expect(done.html).toContain('利用者情報の更新が完了しました。');
    expect(done.html).toContain(`パスワード変更完了のお知らせを ${user.email} 宛てに送信します。`);
    expect(done.html).toContain(
      '利用者情報が更新されていない可能性がありますので、下記までお問い合わせください。',
    );
    expect(done.html).toContain('data-testid="helpdesk"');
    await harness.mailTo(user.email, 'パスワード変更完了のお知らせ');
    expect((await elsewhere.get('/menu')).url).not.toBe('/menu');

    expect((await browser.press('BACK_TO_USER_INFO')).url).toBe('/user-info');
    await browser.press('LOGOUT');
    const old = await new Browser(harness.app).login(user);
    expect(old.url).toBe('/login');
    expect(old.html).toContain('WZBAM002E');
    expect((await new Browser(harness.app).login({ ...user, password })).url).toBe('/menu');
  });
});
