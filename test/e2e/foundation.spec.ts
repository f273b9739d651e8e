/**
 * Foundation: the browser's own buttons against the session (manual 1.3, 1.4 item 7), in real
 * Chromium against the real server. Back ends the session on the invalid-operation page, also
 * Back to an earlier render of the same page (a page shown again with errors); a refresh of the
 * current render keeps it; a double-clicked login never ends on an error; a session left idle past
 * its timeout shows the timed-out page, on a server whose idle timeout is a few seconds (Redis
 * expires the session in real time); another site can neither move nor end a session.
 */
import { Redis } from 'ioredis';
import { redisUrl } from '../support/redis.ts';
import {
  type Account,
  chiyoda,
  createAccount,
  linkIn,
  mailOf,
  mainServer,
  newApplicant,
  pageAt,
  pausedClockContext,
  registrationFields,
  sessionId,
  sessionKey,
  shortIdleSeconds,
  Tour,
  test,
} from './steps.ts';

let account: Account;
let redis: Redis;

test.beforeAll(async () => {
  account = await createAccount(mainServer, 'ja', 'foundation');
  redis = new Redis(redisUrl());
});
test.afterAll(() => redis.disconnect());

/** Whether the server still holds the session this tab had (`id`). */
async function stored(id: string | undefined): Promise<boolean> {
  return id !== undefined && (await sessionKey(redis, id)) !== undefined;
}

test('the browser Back button from the menu ends the session; the menu then needs a new login', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.logIn(account);

  await page.goBack();
  await tour.expectPage('invalidOperation');
  await test.expect(page.getByTestId('invalidOperation')).toHaveText(tour.t('invalidOperation.body'));

  await page.goto(pageAt('signedIn.menu').meta.url);
  await tour.expectPage('home');
  await tour.logIn(account);
});

test('a refresh of the menu keeps the user on the menu, signed in', async ({ page }) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.logIn(account);
  await page.reload();
  await tour.expectPage('signedIn.menu');
  await test.expect(page.getByTestId('user-name')).toHaveText(account.name);
  await tour.press('button.userInfoUpdate');
  await tour.expectPage('signedIn.userInfo');
});

test('a session left idle past the timeout shows the timed-out page', async ({ browser, shortIdle }) => {
  test.setTimeout(60_000 + shortIdleSeconds * 1000);
  const idleAccount = await createAccount(shortIdle, 'ja', 'idle');
  const context = await pausedClockContext(browser, shortIdle);
  const tour = new Tour(await context.newPage(), 'ja');
  await tour.openHome();
  await tour.logIn(idleAccount);

  // The page's clock runs again: at the timeout the page reloads itself, and the server, whose
  // session has expired meanwhile, answers with the timed-out page.
  await context.clock.resume();
  await test.expect(tour.page).toHaveURL(/\/timed-out$/, { timeout: (shortIdleSeconds + 15) * 1000 });
  await tour.expectPage('timedOut');
  await test.expect(tour.page.getByTestId('timedOut')).toHaveText(tour.t('timedOut.body'));

  await tour.page.goto(pageAt('signedIn.menu').meta.url);
  await tour.expectPage('home');
  await context.close();
});

test('Back after the Password Input page was shown again with errors ends the session; a reload of that render keeps it', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.logIn(account);
  await tour.press('button.userInfoUpdate');
  await tour.press('button.changePassword');
  await tour.expectPage('signedIn.changePassword');
  const first = page.url();
  await tour.press('button.change'); // every field empty: the same page again, with its errors
  await tour.expectPage('signedIn.changePassword');
  await tour.expectErrors('WZBAM001E');
  test.expect(page.url()).not.toBe(first);

  await page.reload();
  await tour.expectPage('signedIn.changePassword');
  await tour.expectErrors('WZBAM001E');
  await test.expect(page.getByTestId('user-name')).toHaveText(account.name);
  const id = await sessionId(page);
  test.expect(await stored(id)).toBe(true);

  await page.goBack();
  await tour.expectPage('invalidOperation');
  await test.expect(page.getByTestId('invalidOperation')).toHaveText(tour.t('invalidOperation.body'));
  test.expect(await stored(id)).toBe(false);
});

test('Back from the registration confirmation, before any login: an invalid-operation page that does not speak of logging out', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.register'));
  await tour.fill(registrationFields(newApplicant('back')));
  await tour.searchAddress(chiyoda);
  await tour.press('button.confirm');
  await tour.expectPage('registration.confirm');
  const id = await sessionId(page);

  await page.goBack();
  await tour.expectPage('invalidOperation');
  const notice = page.getByTestId('invalidOperation');
  await test.expect(notice).toHaveText(tour.t('invalidOperation.visitor.body'));
  await test.expect(notice).not.toContainText('ログアウト');
  test.expect(await stored(id)).toBe(false);
});

test('a double-clicked Login ends on the menu or on a page asking to log in again, never on an error', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const landed: string[] = [];
  for (let round = 0; round < 3; round++) {
    const context = await browser.newContext();
    const tour = new Tour(await context.newPage(), 'ja');
    await tour.openHome();
    await tour.press(tour.categoryButton('home.login'));
    await tour.fill({ userId: account.userId, password: account.password });
    await tour.button('button.login').dblclick();
    // whichever navigation of the two the browser keeps, it ends on some page other than this one
    await test.expect(tour.page.locator(`main:not(.page--${pageAt('login').meta.template})`)).toBeVisible();
    const path = new URL(tour.page.url()).pathname;
    test.expect([pageAt('signedIn.menu').meta.url, pageAt('timedOut').meta.url]).toContain(path);
    landed.push(path);
    await context.close();
  }
  test.info().annotations.push({ type: 'landed', description: landed.join(' ') });
});

test('a Login posted twice, the first answer never reaching the browser, ends on the page asking to log in again', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.login'));
  await tour.fill({ userId: account.userId, password: account.password });
  // The browser's POST is sent twice: first a copy past the browser, whose answer (the new
  // session's cookie) the browser never sees, as when a second click cancels the first
  // navigation; then the browser's own, with the same old cookie and step token.
  let copies = 0;
  await page.route(`**${pageAt('login').meta.url}`, async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const headers = Object.fromEntries(
      Object.entries(await request.allHeaders()).filter(([name]) => !/^(host|content-length)$/i.test(name)),
    );
    const cookies = await page.context().cookies(request.url());
    headers.cookie = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    const first = await fetch(request.url(), {
      method: 'POST',
      headers,
      body: request.postData(),
      redirect: 'manual',
    });
    if (first.status === 303 && first.headers.getSetCookie().some((line) => line.includes('zairyu_session=')))
      copies += 1;
    await route.continue();
  });
  await tour.press('button.login');
  test.expect(copies).toBe(1); // the first did log in, and handed out the new session's cookie
  await tour.expectPage('timedOut');
  await test.expect(page.getByTestId('timedOut')).toHaveText(tour.t('timedOut.body'));
  test.expect(await sessionId(page)).toBeUndefined();
});

test('a form or a link on another site can neither move nor end the session', async ({ page, baseURL }) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.logIn(account);
  const menu = page.url();
  const step = await page.locator('input[name="_step"]').first().getAttribute('value');
  // a page of no site of ours (a new tab's blank document), in the same browser, with a form and
  // a link into the portal
  const elsewhere = async () => {
    const foreign = await page.context().newPage();
    await foreign.setContent(
      `<form method="post" action="${baseURL}/menu"><input type="hidden" name="_step" value="${step}">` +
        '<button name="_action" value="LOGOUT">go</button></form>' +
        `<a href="${baseURL}${pageAt('signedIn.menu').meta.url}">menu</a>`,
    );
    return foreign;
  };
  const poster = await elsewhere();
  const posted = poster.waitForResponse((response) => response.request().method() === 'POST');
  await poster.locator('button').click();
  test.expect((await posted).status()).toBe(403);
  await test.expect(poster.getByText('WZBAM330E')).toBeVisible();
  const linker = await elsewhere();
  await linker.locator('a').click();
  await test.expect(linker.getByText('WZBAM330E')).toBeVisible();

  await page.goto(menu);
  await tour.expectPage('signedIn.menu');
  await test.expect(page.getByTestId('user-name')).toHaveText(account.name);
});

test('an emailed link opens from a mail reader on another site, through the redirect that follows it', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.login'));
  await tour.press('button.forgotPassword');
  await tour.fill({ userId: account.userId, email: account.email });
  await tour.press('button.send');
  await tour.expectPage('resetRequested');
  const mail = await mailOf(mainServer, account.email, 'passwordReset', 'ja');

  const reader = await page.context().browser()?.newContext();
  if (!reader) throw new Error('no browser');
  const inbox = await reader.newPage();
  await inbox.setContent(`<a href="${mainServer.baseURL}${linkIn(mail)}">link</a>`);
  await inbox.locator('a').click();
  const opened = new Tour(inbox, 'ja');
  await opened.expectPage('passwordRegistration');
  await test.expect(opened.field('password')).toBeVisible();
  await reader.close();
});
