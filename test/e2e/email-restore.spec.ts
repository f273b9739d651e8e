/**
 * The way back from an email change made with a session alone, in real Chromium against the real
 * server: one browser (the taker's) changes the address, another (the owner's) opens the link in
 * the notice to the former address.
 */
import { createAccount, linkIn, mailOf, mainServer, Tour, test } from './steps.ts';

test("the link in the former address's notice restores it, logs the taker's tab out, and works once only", async ({
  browser,
}) => {
  const account = await createAccount(mainServer, 'en', 'restore');
  const takerEmail = `taker-${account.userId}@example.net`;

  const takerContext = await browser.newContext();
  const taker = new Tour(await takerContext.newPage(), 'en');
  await taker.openHome();
  await taker.logIn(account);
  await taker.press('button.userInfoUpdate');
  await taker.press('button.changeUserInfo');
  await taker.fill({ email: takerEmail, emailConfirm: takerEmail });
  await taker.press('button.change');
  await taker.expectPage('signedIn.userInfoUpdated');

  const notice = await mailOf(mainServer, account.email, 'emailChangedOld', 'en');
  const link = linkIn(notice, 'emailRestored');
  const ownerContext = await browser.newContext();
  const owner = new Tour(await ownerContext.newPage(), 'en');
  await owner.open(`${link}&lang=en`);
  await owner.expectPage('emailRestored');
  const completion = owner.page.getByTestId('completion');
  await test.expect(completion).toContainText(owner.t('emailRestored.lead'));
  await test.expect(completion).toContainText(account.email);
  await test.expect(completion).toContainText(owner.t('emailRestored.next'));
  await mailOf(mainServer, takerEmail, 'emailRestored', 'en');

  await taker.page.reload();
  await taker.expectPage('timedOut');

  await owner.open(link);
  await owner.expectPage('restoreFailed');
  await test.expect(owner.page.getByTestId('restoreFailed')).toContainText(owner.error('WZBAM345E'));

  // the User Information page shows the former address again
  await owner.press('button.home');
  await owner.logIn(account);
  await owner.press('button.userInfoUpdate');
  await test.expect(owner.page.locator('[data-item="user.email"]')).toHaveText(account.email);

  await takerContext.close();
  await ownerContext.close();
});
