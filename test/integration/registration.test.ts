/**
 * 2.1.2 User registration over HTTP against the real app, PostgreSQL, Redis and SMTP: the input
 * page with the address Search picker, confirmation, Back, completion, the emailed link, the
 * Password Registration page and the first login.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByUserId } from '../../src/db/users.ts';
import { Browser, createUser, linkIn, type MailHarness, pickAddress, startMailHarness } from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

/** What a visitor types on the User Information Input page; a fresh email address per call. */
function typed(overrides: Record<string, string> = {}) {
  const email = `reg-${randomBytes(5).toString('hex')}@example.com`;
  return {
    name: 'taro  yamada',
    sex: 'female',
    birthDate: '1990/4/1',
    street: '1-2-3 ｶｽﾐｶﾞｾｷﾊｲﾂ 202',
    phone: '03-1234-5678',
    email,
    emailConfirm: email,
    ...overrides,
  };
}

async function atRegistration(): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.get('/');
  await browser.press('GO_REGISTER');
  return browser;
}

/** Search → Tokyo → Chiyoda, from the input page; back on the input page with the address chosen. */
const chooseChiyoda = (browser: Browser, fields: Record<string, string>) =>
  pickAddress(browser, fields, '13101');

/** The hidden municipality code travels with the form, as a browser would post it. */
const withAddress = (fields: Record<string, string>) => ({ ...fields, municipalityCode: '13101' });

describe('user registration (2.1.2)', () => {
  it('walks input → Search → prefecture → municipality → confirm → Back → register → email → password → login', async () => {
    const browser = await atRegistration();
    const input = browser.page;
    expect(input.url).toBe('/register');
    expect(input.html).toContain('<h1>利用者情報入力</h1>');
    expect(input.html).toContain('aria-current="step"');
    expect(input.html).toContain('data-testid="chosen-address">(未選択)');
    const fields = typed();

    const picker = await browser.press('SEARCH', fields);
    expect(picker.url).toBe('/register/address');
    expect(picker.html.match(/name="prefecture" value="\d\d"/g)).toHaveLength(47);
    expect(picker.html).toContain('<legend class="picker__legend">関東</legend>');

    const tokyo = await browser.press('SELECT_PREFECTURE', { prefecture: '13' });
    expect(tokyo.url).toBe('/register/address');
    expect(tokyo.html).toContain('東京都の市区町村を選択してください。');
    expect(tokyo.html).toContain('name="municipalityCode" value="13101"');
    expect(tokyo.html).toContain('千代田区');

    const back = await browser.press('SELECT_MUNICIPALITY', { municipalityCode: '13101' });
    expect(back.url).toBe('/register');
    expect(back.html).toContain('data-testid="chosen-address">東京都千代田区');
    expect(back.html).toContain('name="municipalityCode" value="13101"');
    // what was typed before Search is kept, normalized as it will be saved
    expect(back.html).toContain('value="TARO YAMADA"');
    expect(back.html).toMatch(/value="female" id="field-sex-female" checked/);
    expect(back.html).toContain('value="1990-04-01"');
    expect(back.html).toContain('value="１－２－３　カスミガセキハイツ　２０２"');
    expect(back.html).toContain('value="0312345678"');
    expect(back.html).toContain(`value="${fields.email}"`);

    const confirm = await browser.press('CONFIRM_REGISTRATION', withAddress(fields));
    expect(confirm.url).toBe('/register/confirm');
    expect(confirm.html).toContain('<h1>入力内容確認</h1>');
    for (const action of ['REGISTER', 'BACK', 'HOME']) expect(confirm.html).toContain(`value="${action}"`);
    for (const shown of [
      'TARO YAMADA',
      '<dd data-item="user.sex">女</dd>',
      '1990-04-01',
      '東京都千代田区',
      '0312345678',
    ]) {
      expect(confirm.html).toContain(shown);
    }

    const again = await browser.press('BACK');
    expect(again.url).toBe('/register');
    expect(again.html).toContain('value="TARO YAMADA"');
    expect(again.html).toContain('data-testid="chosen-address">東京都千代田区');
    expect(again.html).toContain(`value="${fields.email}"`);

    await browser.press('CONFIRM_REGISTRATION', withAddress(fields));
    const complete = await browser.press('REGISTER');
    expect(complete.url).toBe('/register/complete');
    expect(complete.html).toContain(`${fields.email} 宛てに送信します。`);
    expect(complete.html).toContain('URLの有効期間は24時間です。');
    expect(complete.html).toContain('data-testid="helpdesk"');
    expect(complete.html).toContain(
      '受付時間：月曜日～金曜日 9:00～17:00（国民の祝日に関する法律に規定する休日及び12月29日から翌年1月3日までを除く）',
    );

    const mail = await harness.mailTo(fields.email, '利用者登録受付のお知らせ');
    const userId = /認証ID：([a-z0-9]+)/.exec(mail.text)?.[1] as string;
    expect(userId).toMatch(/^[a-z]{5}\d{5}$/);
    const saved = await findUserByUserId(harness.pool, userId);
    expect(saved).toMatchObject({
      name: 'TARO YAMADA',
      sex: 'female',
      birth_date: '1990-04-01',
      municipality_code: '13101',
      street: '１－２－３　カスミガセキハイツ　２０２',
      phone: '0312345678',
      email: fields.email,
      password_hash: null,
    });

    const registration = await browser.get(linkIn(mail));
    expect(registration.url).toBe('/password/register');
    expect(registration.html).toContain(`<dd data-item="user.userId">${userId}</dd>`);
    expect(registration.html).toContain('利用者登録を完了するため、パスワードを登録してください。');
    const password = 'Koubou#2026';
    const registered = await browser.press('SET_PASSWORD', { password, passwordConfirm: password });
    expect(registered.url).toBe('/password/registered');
    expect(registered.html).toContain(`${fields.email} 宛てに送信します。`);
    await harness.mailTo(fields.email, 'パスワード登録完了のお知らせ');

    await browser.press('BACK_TO_LOGIN');
    const menu = await browser.press('LOGIN', { userId, password });
    expect(menu.url).toBe('/menu');
    expect(menu.html).toContain('TARO YAMADA');
  });

  it('marks every empty field with "!" and the coded messages, and the address with the Search prompt', async () => {
    const browser = await atRegistration();
    const page = await browser.press('CONFIRM_REGISTRATION', {});
    expect(page.url).toBe('/register');
    expect(page.html).toMatch(/<title>エラー：利用者情報入力/);
    expect(page.html).toContain('WZBAM001E：「!」が付いている項目を入力してください。');
    expect(page.html).toContain('WZBAM090E：検索ボタンを押下して検索してください。');
    // name, sex, date of birth, address, street, phone, email, confirmation
    expect(page.html.match(/class="field__mark" aria-hidden="true">!</g)).toHaveLength(8);
    expect(page.html).toContain('href="#field-municipalityCode"');
    expect(page.html).toContain('id="field-municipalityCode"');
  });

  it('keeps what was typed beside the messages of the rules it breaks', async () => {
    const browser = await atRegistration();
    const fields = typed({ name: 'Taro 1', phone: '03-1234', birthDate: '2999-01-01' });
    await chooseChiyoda(browser, fields);
    const page = await browser.press(
      'CONFIRM_REGISTRATION',
      withAddress({ ...fields, emailConfirm: 'other@example.com' }),
    );
    expect(page.url).toBe('/register');
    for (const code of ['WZBAM060E', 'WZBAM041E', 'WZBAM081E', 'WZBAM032E'])
      expect(page.html).toContain(code);
    expect(page.html).toContain('value="TARO 1"');
    expect(page.html).toContain('value="031234"');
    expect(page.html).toContain('value="other@example.com"');
    expect(page.html).toContain('data-testid="chosen-address">東京都千代田区');
    expect(page.html).toContain('aria-invalid="true"');
  });

  it('lets the picker change prefecture, refuses a made-up code, and Back keeps the form', async () => {
    const browser = await atRegistration();
    await browser.press('SEARCH', typed({ name: 'HANAKO' }));
    await browser.press('SELECT_PREFECTURE', { prefecture: '13' });
    const osaka = await browser.press('SELECT_PREFECTURE', { prefecture: '27' });
    expect(osaka.html).toContain('大阪府の市区町村を選択してください。');
    expect(osaka.html).toContain('<option value="27" selected>大阪府</option>');
    // the registration picker offers Back to Homepage, as every page of the registration does
    expect(osaka.html).toContain('value="HOME"');

    const bad = await browser.press('SELECT_MUNICIPALITY', { municipalityCode: '99999' });
    expect(bad.url).toBe('/register/address');
    expect(bad.html).toContain('WZBAM091E');

    const back = await browser.press('BACK');
    expect(back.url).toBe('/register');
    expect(back.html).toContain('value="HANAKO"');
    expect(back.html).toContain('data-testid="chosen-address">(未選択)');
  });

  it('answers a registration with a known email address with the same page and the "already registered" email', async () => {
    const existing = await createUser(harness.pool);
    const browser = await atRegistration();
    const fields = typed({ email: existing.email, emailConfirm: existing.email });
    await chooseChiyoda(browser, fields);
    await browser.press('CONFIRM_REGISTRATION', withAddress(fields));
    const page = await browser.press('REGISTER');
    expect(page.url).toBe('/register/complete');
    expect(page.html).toContain(`${existing.email} 宛てに送信します。`);
    const mail = await harness.mailTo(existing.email, '利用者登録手続のお知らせ');
    expect(mail.text).not.toMatch(/token=/);
  });

  it('goes back to the homepage from the input page', async () => {
    const browser = await atRegistration();
    const home = await browser.press('HOME');
    expect(home.url).toBe('/');
  });
});

describe('the emailed link (2.5.1)', () => {
  async function registeredLink(): Promise<{ link: string; userId: string; email: string }> {
    const browser = await atRegistration();
    const fields = typed();
    await chooseChiyoda(browser, fields);
    await browser.press('CONFIRM_REGISTRATION', withAddress(fields));
    await browser.press('REGISTER');
    const mail = await harness.mailTo(fields.email, '利用者登録受付のお知らせ');
    return {
      link: linkIn(mail),
      userId: /認証ID：([a-z0-9]+)/.exec(mail.text)?.[1] as string,
      email: fields.email,
    };
  }

  it('applies the password rules on the Password Registration page', async () => {
    const { link, userId } = await registeredLink();
    const browser = new Browser(harness.app);
    await browser.get(link);
    const empty = await browser.press('SET_PASSWORD', {});
    expect(empty.url).toBe('/password/register');
    expect(empty.html).toContain('WZBAM001E');
    expect(empty.html).toContain('使用できる記号は「$%&amp;=@_#*+-?!」です。');
    for (const [password, passwordConfirm, code] of [
      ['Koubou#2026', 'Koubou#2027', 'WZBAM026E'],
      [`${userId}#A`, `${userId}#A`, 'WZBAM023E'],
      ['Ab1#', 'Ab1#', 'WZBAM020E'],
      ['Qwerty123!', 'Qwerty123!', 'WZBAM027E'],
      ['Immigration#7', 'Immigration#7', 'WZBAM350E'],
    ] as [string, string, string][]) {
      const page = await browser.press('SET_PASSWORD', { password, passwordConfirm });
      expect(page.url).toBe('/password/register');
      expect(page.html).toContain(code);
      expect(page.html).not.toContain(`value="${password}"`);
    }
  });

  it('is single use: a second opening shows the invalid-link page', async () => {
    const { link } = await registeredLink();
    const browser = new Browser(harness.app);
    await browser.get(link);
    await browser.press('SET_PASSWORD', { password: 'Koubou#2026', passwordConfirm: 'Koubou#2026' });
    const again = await new Browser(harness.app).get(link);
    expect(again.url).toBe('/password/link-invalid');
    expect(again.html).toContain('WZBAM310E');
    expect(again.html).toContain('data-testid="linkInvalid"');
  });

  it('shows the invalid-link page for a made-up token, with a way back to the homepage', async () => {
    const browser = new Browser(harness.app);
    const page = await browser.get('/password/register?token=not-a-token');
    expect(page.url).toBe('/password/link-invalid');
    expect(page.html).toContain('WZBAM310E：このURLは無効であるか、有効期限が切れています。');
    // nothing was entered: no error summary, no "Error:" in the title (it is no input error)
    expect(page.html).not.toContain('data-error-summary');
    expect(page.html).not.toContain('入力内容に誤りがあります');
    expect(page.html).not.toContain('<title>エラー');
    expect((await browser.press('HOME')).url).toBe('/');
  });

  it('ends the session of a user logged in in the same browser, and says so', async () => {
    const { link } = await registeredLink();
    const other = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(other);
    const before = browser.sessionId();
    const page = await browser.get(link);
    expect(page.url).toBe('/password/register');
    expect(page.html).toContain('ログイン中のものを含みます。');
    expect(browser.sessionId()).not.toBe(before);
    expect(await harness.redis.exists(`${harness.prefix}s:${before}`)).toBe(0);
  });

  it('leaves the link usable after Back to Homepage', async () => {
    const { link } = await registeredLink();
    const browser = new Browser(harness.app);
    await browser.get(link);
    expect((await browser.press('HOME')).url).toBe('/');
    expect((await browser.get(link)).url).toBe('/password/register');
  });
});
