/**
 * What the browser keeps (ASVS v5.0.0-14.3.1, 14.3.3) and how it may fill a password (6.2.7), in
 * real Chromium against the real server: after logging out, Back shows nothing of the account;
 * the browser holds the service's cookies and no stored data; a pasted password logs in.
 */
import { type Account, createAccount, mainServer, pageAt, Tour, test } from './steps.ts';

const { expect } = test;

interface Storage {
  length: number;
}
let account: Account;

test.beforeAll(async () => {
  account = await createAccount(mainServer, 'ja', 'client-side');
});

test('after logging out, Back shows nothing of the account, and the browser keeps no data of it', async ({
  page,
  context,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  const visitBeforeLogin = (await context.cookies()).find((cookie) => cookie.name === 'zairyu_visit')?.value;
  expect(visitBeforeLogin).toBeTruthy();
  await tour.logIn(account);
  await tour.press('button.userInfoUpdate');
  await tour.expectPage('signedIn.userInfo');
  const shown = [account.userId, account.email, account.phone];
  for (const value of shown) await expect(page.locator('main')).toContainText(value);

  const stored = await page.evaluate(async () => {
    // the page's own globals (the tests are compiled without the DOM library)
    const browser = globalThis as unknown as {
      localStorage: Storage;
      sessionStorage: Storage;
      indexedDB: { databases(): Promise<unknown[]> };
      caches: { keys(): Promise<unknown[]> };
    };
    return {
      local: browser.localStorage.length,
      session: browser.sessionStorage.length,
      databases: (await browser.indexedDB.databases()).length,
      caches: (await browser.caches.keys()).length,
    };
  });
  expect(stored).toEqual({ local: 0, session: 0, databases: 0, caches: 0 });
  const cookieNames = (await context.cookies()).map((cookie) => cookie.name).sort();
  expect(cookieNames).toEqual(['lang', 'zairyu_session']);
  for (const cookie of await context.cookies()) expect(cookie.httpOnly, cookie.name).toBe(true);

  await tour.press('button.logout');
  await tour.expectPage('loggedOut');
  await page.goBack();
  await page.waitForLoadState('load');
  const text = (await page.locator('body').textContent()) ?? '';
  for (const value of shown) expect(text).not.toContain(value);
  expect(new URL(page.url()).pathname).not.toBe(pageAt('signedIn.userInfo').meta.url);
  // What is left: the language, and the visit cookie of the session-less pages shown since (a
  // random value issued after the logout, bound to nothing of the account).
  const left = await context.cookies();
  expect(left.map((cookie) => cookie.name).sort()).toEqual(['lang', 'zairyu_visit']);
  expect(left.find((cookie) => cookie.name === 'zairyu_visit')?.value).not.toBe(visitBeforeLogin);
});

test('a password pasted into the login page logs in', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.login'));
  await tour.expectPage('login');
  await tour.fill({ userId: account.userId });
  await page.evaluate((password) => {
    const { navigator } = globalThis as unknown as {
      navigator: { clipboard: { writeText(text: string): Promise<void> } };
    };
    return navigator.clipboard.writeText(password);
  }, account.password);
  await tour.field('password').focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(tour.field('password')).toHaveValue(account.password);
  await tour.press('button.login');
  await tour.expectPage('signedIn.menu');
});
