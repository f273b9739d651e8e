/**
 * The postal-code box beside Search (beyond the manual), over HTTP without JavaScript against the
 * real app, PostgreSQL and Redis: the LOOKUP_POSTAL_CODE post that shows the form again with the
 * address filled in, its coded messages on the field, Search still working beside it; and the JSON
 * lookup the page's script uses, which never touches a session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, pickAddress, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function atRegistration(lang: 'ja' | 'en' = 'ja'): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.get(`/?lang=${lang}`);
  await browser.press('GO_REGISTER');
  return browser;
}

async function atChangeUserInfo(lang: 'ja' | 'en' = 'ja'): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.get(`/?lang=${lang}`);
  await browser.login(await createUser(harness.pool));
  await browser.press('GO_USER_INFO');
  await browser.press('GO_CHANGE_USER_INFO');
  return browser;
}

/** The value an input of the page is rendered with. */
function inputValue(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}"[^>]*?value="([^"]*)"`).exec(html)?.[1];
}

/** The postal-code field of the page: its label, its error texts, whether its box is marked invalid. */
function postalField(html: string) {
  const label = /<label for="field-postalCode"[^>]*>([\s\S]*?)<\/label>/.exec(html)?.[1] ?? '';
  const input = /<input[^>]*id="field-postalCode"[^>]*>/.exec(html)?.[0] ?? '';
  return {
    marked: label.includes('class="field__mark" aria-hidden="true">!<'),
    errors: [
      ...html.matchAll(/<p class="field__error" id="field-postalCode-error-(WZBAM\d{3}E)">([^<]*)</g),
    ].map((match) => `${match[1]} ${match[2]}`),
    invalid: input.includes('aria-invalid="true"'),
    describedBy: /aria-describedby="([^"]*)"/.exec(input)?.[1],
  };
}

describe('the postal-code box without JavaScript', () => {
  it('fills in the prefecture, municipality and town from a full-width code, keeping everything typed', async () => {
    const browser = await atRegistration();
    const typed = { name: 'taro yamada', sex: 'female', phone: '03-1234-5678', street: '１－２－３' };
    const page = await browser.press('LOOKUP_POSTAL_CODE', { ...typed, postalCode: '１００－００１３' });
    expect(page.url).toBe('/register');
    expect(page.html).toContain('data-testid="chosen-address">東京都千代田区<');
    expect(inputValue(page.html, 'municipalityCode')).toBe('13101');
    expect(inputValue(page.html, 'street')).toBe('霞が関１－２－３');
    expect(inputValue(page.html, 'postalCode')).toBe('100-0013');
    expect(inputValue(page.html, 'name')).toBe('TARO YAMADA');
    expect(inputValue(page.html, 'phone')).toBe('0312345678');
    expect(page.html).toMatch(/name="sex" value="female"[^>]*checked/);
    expect(page.html).not.toContain('data-error-summary');
    // the box is optional: neither marked nor announced as required
    expect(/<input[^>]*id="field-postalCode"[^>]*>/.exec(page.html)?.[0]).not.toContain('aria-required');
    expect(/<label for="field-postalCode"[^>]*>[\s\S]*?<\/label>/.exec(page.html)?.[0]).not.toContain(
      'field__required',
    );

    // the filled-in address is what the confirmation shows and registers
    const email = `postal-${Date.now()}@example.com`;
    const confirm = await browser.press('CONFIRM_REGISTRATION', {
      ...typed,
      birthDate: '1990-04-01',
      municipalityCode: inputValue(page.html, 'municipalityCode') ?? '',
      street: inputValue(page.html, 'street') ?? '',
      email,
      emailConfirm: email,
    });
    expect(confirm.url).toBe('/register/confirm');
    expect(confirm.html).toContain('東京都千代田区');
    expect(confirm.html).toContain('霞が関１－２－３');
  });

  it.each([
    ['ja', '999-9999', 'WZBAM111E', 'WZBAM111E：この郵便番号に該当する住所が見つかりません。'],
    ['en', '999-9999', 'WZBAM111E', 'WZBAM111E: No address was found for this postal code.'],
    ['ja', '100-001', 'WZBAM110E', 'WZBAM110E：郵便番号は7桁の数字で入力してください。'],
    ['en', '１２３', 'WZBAM110E', 'WZBAM110E: Enter the postal code as 7 digits.'],
    ['en', '206-0000', 'WZBAM112E', 'WZBAM112E: This postal code covers more than one municipality.'],
  ] as const)(
    'in %s, %s gives %s on the field, marked with "!", the rest kept',
    async (lang, postalCode, code, text) => {
      const browser = await atChangeUserInfo(lang);
      const page = await browser.press('LOOKUP_POSTAL_CODE', { postalCode, phone: '0398765432' });
      expect(page.url).toBe('/user-info/change');
      const field = postalField(page.html);
      expect(field.marked).toBe(true);
      expect(field.errors).toHaveLength(1);
      expect(field.errors[0]?.startsWith(`${code} ${text}`)).toBe(true);
      expect(field.invalid).toBe(true);
      expect(field.describedBy).toBe(`field-postalCode-hint field-postalCode-error-${code}`);
      expect(page.html).toContain(`data-code="${code}"`);
      expect(inputValue(page.html, 'postalCode')).toBe(postalCode);
      expect(inputValue(page.html, 'phone')).toBe('0398765432');
    },
  );

  it('marks nothing when the code is found, and the change saves the filled-in address', async () => {
    const browser = await atChangeUserInfo();
    const page = await browser.press('LOOKUP_POSTAL_CODE', {
      postalCode: '0600000',
      street: '北１条西２丁目',
    });
    expect(postalField(page.html)).toMatchObject({ marked: false, errors: [], invalid: false });
    expect(page.html).toContain('data-testid="chosen-address">北海道札幌市中央区<');
    const done = await browser.press('CHANGE_USER_INFO', {
      municipalityCode: inputValue(page.html, 'municipalityCode') ?? '',
      street: inputValue(page.html, 'street') ?? '',
    });
    expect(done.url).toBe('/user-info/updated');
  });

  it('leaves Search as the manual describes it: the picker, then back with its choice and the typed code', async () => {
    const browser = await atRegistration();
    await browser.press('LOOKUP_POSTAL_CODE', { postalCode: '100-0013' });
    const { prefectures, form } = await pickAddress(
      browser,
      { postalCode: '100-0013', phone: '0312345678' },
      '01101',
    );
    expect(prefectures.url).toBe('/register/address');
    expect(form.url).toBe('/register');
    expect(form.html).toContain('data-testid="chosen-address">北海道札幌市中央区<');
    expect(inputValue(form.html, 'postalCode')).toBe('100-0013');
    expect(inputValue(form.html, 'phone')).toBe('0312345678');
  });
});

describe('the JSON lookup of the page script', () => {
  it('answers the municipality, the address as the page shows it and the town, in the page language', async () => {
    const ja = await harness.app.inject({ url: '/address/postal?code=%EF%BC%91%EF%BC%90%EF%BC%90-0013' });
    expect(ja.statusCode).toBe(200);
    expect(ja.json()).toEqual({ municipalityCode: '13101', address: '東京都千代田区', town: '霞が関' });
    const en = await harness.app.inject({ url: '/address/postal?code=1000013', cookies: { lang: 'en' } });
    expect(en.json()).toMatchObject({ municipalityCode: '13101', town: '霞が関' });
    expect(en.json().address).toBe('Chiyoda-ku, Tokyo 東京都千代田区');
  });

  it.each([
    ['', 400, 'WZBAM110E'],
    ['100-001', 400, 'WZBAM110E'],
    ['999-9999', 404, 'WZBAM111E'],
    ['206-0000', 409, 'WZBAM112E'],
  ])('answers %j with %i and the coded message', async (code, status, errorCode) => {
    const response = await harness.app.inject({
      url: `/address/postal?code=${code}`,
      cookies: { lang: 'en' },
    });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({
      error: { code: errorCode, message: expect.stringMatching(new RegExp(`^${errorCode}: [A-Z]`)) },
    });
  });

  it('creates no session, sets no cookie, and leaves a running session as it was', async () => {
    const keys = () => harness.redis.keys(`${harness.prefix}s:*`);
    const before = await keys();
    const anonymous = await harness.app.inject({ url: '/address/postal?code=1000013' });
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    expect(await keys()).toEqual(before);

    const browser = await atRegistration();
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const stored = await harness.redis.get(key);
    const ttl = await harness.redis.pttl(key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const signedIn = await harness.app.inject({ url: '/address/postal?code=1000013', headers: { cookie } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['set-cookie']).toBeUndefined();
    expect(await harness.redis.get(key)).toBe(stored);
    // the idle timer was not refreshed by the lookup
    expect(await harness.redis.pttl(key)).toBeLessThan(ttl);
    // and the page's step token still moves the flow
    expect((await browser.press('SEARCH', {})).url).toBe('/register/address');
  });
});
