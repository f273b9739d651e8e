/**
 * The pages in English (manual 2.1.3 item 1): `?lang=en` on the current page switches it, every
 * later page stays English, and the emails the flows send are English too. Every page seen is also
 * checked for message keys shown raw (a key missing from the catalogue shows itself).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/messages.ts';
import { Browser, createUser, linkIn, type MailHarness, type Page, startMailHarness } from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

const keyPrefixes = [...new Set(Object.keys(messages).map((key) => key.split('.')[0]))];
const rawKey = new RegExp(`\\b(?:${keyPrefixes.join('|')})\\.[A-Za-z]`);

/**
 * The page is English, every text of it came from the catalogue, and Japanese is only where it is
 * marked `lang="ja"` (names of municipalities, say).
 */
function expectEnglish(page: Page, ...texts: string[]) {
  expect(page.status).toBe(200);
  expect(page.html).toContain('<html lang="en">');
  const text = page.html.replace(/<(\w+)[^>]* lang="ja"[^>]*>.*?<\/\1>/gs, ' ').replace(/<[^>]*>/g, ' ');
  expect(text).not.toMatch(rawKey);
  expect(text).not.toMatch(/[ぁ-ん]/);
  for (const wanted of texts) expect(page.html).toContain(wanted);
}

/** The language switch on the page the browser is on (its URL keeps the render's key). */
async function inLang(browser: Browser, lang: 'ja' | 'en'): Promise<Page> {
  const { href } = browser.page;
  return browser.get(`${href}${href.includes('?') ? '&' : '?'}lang=${lang}`);
}

/** An English browser: `?lang=en` on the page it is on. */
function inEnglish(browser: Browser): Promise<Page> {
  return inLang(browser, 'en');
}

describe('English pages', () => {
  it('switches the current page with ?lang=en and back with ?lang=ja, staying on it', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_REGISTER');
    const en = await inEnglish(browser);
    expect(en.url).toBe('/register');
    expectEnglish(
      en,
      '<h1>Enter user information</h1>',
      '2-byte characters, up to 80 characters 例)１－１－１霞ケ関ハイツ２０２号',
    );
    const ja = await inLang(browser, 'ja');
    expect(ja.url).toBe('/register');
    expect(ja.html).toContain('<h1>利用者情報入力</h1>');
  });

  it('registers in English: every page, the emails and the Password Registration page', async () => {
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_REGISTER');
    await inEnglish(browser);
    const email = `en-${randomBytes(5).toString('hex')}@example.com`;
    const fields = {
      name: 'JOHN SMITH',
      sex: 'male',
      birthDate: '1985-12-24',
      street: '１－１',
      phone: '0312345678',
      email,
      emailConfirm: email,
    };
    expectEnglish(
      await browser.press('SEARCH', fields),
      'Select the prefecture.',
      '>Hokkaido and Tohoku<',
      '>Tokyo<',
    );
    expectEnglish(
      await browser.press('SELECT_PREFECTURE', { prefecture: '13' }),
      'Select the municipality in Tokyo.',
    );
    expectEnglish(
      await browser.press('SELECT_MUNICIPALITY', { municipalityCode: '13101' }),
      'Chiyoda-ku, Tokyo 東京都千代田区',
    );
    expectEnglish(
      await browser.press('CONFIRM_REGISTRATION', { ...fields, municipalityCode: '13101' }),
      '<dd data-item="user.sex">Male</dd>',
      'value="REGISTER"',
    );
    expectEnglish(
      await browser.press('REGISTER'),
      `will be sent to your email address ${email}`,
      'The link is valid for 24 hours.',
      'Inquiry hours: Monday to Friday from 9:00 to 17:00',
    );

    const mail = await harness.mailTo(
      email,
      '[Online Residence Application System] User registration received',
    );
    const userId = /User ID: ([a-z0-9]+)/.exec(mail.text)?.[1] as string;
    expectEnglish(
      await browser.get(linkIn(mail)),
      'To complete your user registration, register your password.',
      userId,
    );
    expectEnglish(
      await browser.press('SET_PASSWORD', { password: 'Smith#2026', passwordConfirm: 'Smith#2026' }),
      'The registration of your password has been completed',
      'Back to the login page',
    );
    await harness.mailTo(email, 'Password registration completed');
  });

  it('changes user information and the password in English, with English emails', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.press('GO_USER_INFO');
    expectEnglish(
      await inEnglish(browser),
      'User information display',
      'Authentication ID',
      'Chuo-ku, Sapporo-shi, Hokkaido 北海道札幌市中央区',
    );

    expectEnglish(
      await browser.press('GO_CHANGE_USER_INFO'),
      '1-byte digits, 10 to 12 digits',
      '1-byte alphanumeric letters and/or signs within 60 characters',
      'Press the Search button to select the prefecture and municipality.',
    );
    expectEnglish(
      await browser.press('CHANGE_USER_INFO', {}),
      'WZBAM245E: Please enter the information to change.',
    );
    expectEnglish(
      await browser.press('CHANGE_USER_INFO', { phone: '0399998888' }),
      'The update of your user information has been completed',
      'Back to the User Information page',
    );

    await browser.press('BACK_TO_USER_INFO');
    expectEnglish(
      await browser.press('GO_CHANGE_PASSWORD'),
      'Current password',
      'The symbols which may be used are',
    );
    expectEnglish(
      await browser.press('CHANGE_PASSWORD', {
        currentPassword: user.password,
        newPassword: 'English#2026',
        newPasswordConfirm: 'English#2026',
      }),
      '<h1>Completion of update</h1>',
      'The update of your user information has been completed',
      `A notification of completion of the update will be sent to your email address ${user.email}`,
      'If you do not receive an email after a while, there is the possibility that your user information was not revised',
    );
    await harness.mailTo(user.email, '[Online Residence Application System] Password change completed');
  });

  it('resets a password in English', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    await inEnglish(browser);
    expectEnglish(
      await browser.press('GO_FORGOT_PASSWORD'),
      'User information confirmation',
      'Password resetting',
    );
    expectEnglish(
      await browser.press('SEND_RESET', { userId: user.userId, email: user.email }),
      'The confirmation of your user information has been completed',
      `A notification of password resetting will be sent to your email address ${user.email}`,
      'The link is valid for 30 minutes.',
    );
    const mail = await harness.mailTo(user.email, '[Online Residence Application System] Password reset');
    expectEnglish(await browser.get(linkIn(mail)), 'Register a new password.');
    expectEnglish(
      await browser.get('/password/register?token=bogus'),
      'WZBAM310E: This link',
      'Invalid link',
    );
  });
});
