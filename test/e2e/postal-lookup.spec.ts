/**
 * The postal-code box beside Search (beyond the manual) with the page's script, in real Chromium:
 * the address is filled in without a reload, an unknown code is marked on its field as the server
 * would mark it, and what was filled in is what the form then sends. (Without the script:
 * test/integration/postal-lookup.test.ts.)
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createAccount, mainServer, Tour, test } from './steps.ts';

const { expect } = test;

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(axeTags).setLegacyMode().analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Counts the documents the tab loads from now on: a lookup without a reload leaves it at 0. */
async function countLoads(page: Page): Promise<() => number> {
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  return () => loads;
}

test('fills the address in without a reload, and the form sends what was filled in (Japanese)', async ({
  page,
}) => {
  const tour = new Tour(page, 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.register'));
  await tour.fill({ name: 'taro yamada', street: '１－２－３', postalCode: '１００－００１３' });
  const loads = await countLoads(page);
  const answered = page.waitForResponse((response) => response.url().includes('/address/postal?'));
  await tour.button('button.postalLookup').click();
  expect((await answered).status()).toBe(200);

  await expect(page.getByTestId('chosen-address')).toHaveText('東京都千代田区');
  await expect(tour.field('street')).toHaveValue('霞が関１－２－３');
  await expect(page.locator('input[name="municipalityCode"]')).toHaveValue('13101');
  // what was typed elsewhere is still there, as typed
  await expect(tour.field('name')).toHaveValue('taro yamada');
  expect(loads()).toBe(0);

  await tour.fill({
    sex: 'female',
    birthDate: '1990-04-01',
    phone: '0312345678',
    email: 'postal-js@example.com',
    emailConfirm: 'postal-js@example.com',
  });
  await tour.press('button.confirm');
  await tour.expectPage('registration.confirm');
  await expect(page.locator('main')).toContainText('東京都千代田区');
  await expect(page.locator('main')).toContainText('霞が関１－２－３');
});

test('marks a bad code on its field with "!" and its coded message, in place of what the page said, then clears it (English)', async ({
  page,
}) => {
  const account = await createAccount(mainServer, 'en', 'postal');
  const tour = new Tour(page, 'en');
  await tour.openHome();
  await tour.logIn(account);
  await tour.press('button.userInfoUpdate');
  await tour.press('button.changeUserInfo');
  const box = tour.field('postalCode');
  const button = tour.button('button.postalLookup');

  // the server's answer first, as without the script: an unknown code, in the summary and on the field
  await box.fill('999-9999');
  const posted = page.waitForEvent('load');
  await button.evaluate((b) =>
    (b as unknown as { form: { requestSubmit(by: unknown): void } }).form.requestSubmit(b),
  );
  await posted;
  await tour.expectErrors('WZBAM111E');
  const loads = await countLoads(page);

  await box.fill('100-001');
  // Enter in the box looks the code up, rather than sending the form
  await box.press('Enter');
  const error = page.locator('#field-postalCode-error-WZBAM110E');
  await expect(error).toHaveText(tour.error('WZBAM110E'));
  await expect(page.locator('#field-postalCode-error-WZBAM111E')).toHaveCount(0);
  // the summary spoke only of the code: it goes with what it said
  await expect(page.locator('[data-error-summary]')).toHaveCount(0);
  await expect(page.locator('label[for="field-postalCode"] .field__mark')).toHaveText('!');
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(box).toHaveAttribute(
    'aria-describedby',
    'field-postalCode-hint field-postalCode-error-WZBAM110E',
  );
  await expect(box).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);

  await box.fill('060-0000');
  await button.click();
  await expect(page.getByTestId('chosen-address')).toContainText('Hokkaido');
  await expect(error).toHaveCount(0);
  await expect(page.locator('label[for="field-postalCode"] .field__mark')).toHaveCount(0);
  await expect(box).not.toHaveAttribute('aria-invalid', 'true');
  expect(loads()).toBe(0);

  await tour.fill({ street: '北１条西２丁目' });
  await tour.press('button.change');
  await tour.expectPage('signedIn.userInfoUpdated');
});

test('without JavaScript, the lookup posts the form and the page marks the code the same way; axe finds nothing', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const tour = new Tour(await context.newPage(), 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.register'));
  await tour.fill({ postalCode: '100-001', phone: '0312345678' });
  await tour.press('button.postalLookup');
  await tour.expectPage('registration.input');
  await tour.expectErrors('WZBAM110E');
  await expect(tour.page.locator('#field-postalCode-error-WZBAM110E')).toHaveText(tour.error('WZBAM110E'));
  await expect(tour.page.locator('label[for="field-postalCode"] .field__mark')).toHaveText('!');
  await expect(tour.field('phone')).toHaveValue('0312345678');
  // axe runs as a script: the page as served is checked in a tab that runs scripts
  const html = await tour.page.content();
  const checker = await browser.newPage();
  await checker.goto('/errors');
  await checker.setContent(html, { waitUntil: 'load' });
  expect(await axeViolations(checker)).toEqual([]);
  await checker.close();

  await tour.fill({ postalCode: '１００－０００１' });
  await tour.press('button.postalLookup');
  await expect(tour.page.getByTestId('chosen-address')).toHaveText('東京都千代田区');
  await expect(tour.field('street')).toHaveValue('千代田');
  await context.close();
});
