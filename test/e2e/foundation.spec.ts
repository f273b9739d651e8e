/**
 * Foundation: the browser's own buttons against the session (manual 1.3, 1.4 item 7), in real
 * Chromium against the real server. Back ends the session on the invalid-operation page; a
 * refresh of the current page keeps it; a session left idle past its timeout shows the timed-out
 * page, on a server whose idle timeout is a few seconds (Redis expires the session in real time).
 */
import {
  type Account,
  createAccount,
  mainServer,
  pageAt,
  pausedClockContext,
  shortIdleSeconds,
  Tour,
  test,
} from './steps.ts';

let account: Account;

test.beforeAll(async () => {
  account = await createAccount(mainServer, 'ja', 'foundation');
});

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
