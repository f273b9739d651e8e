/**
 * Every section of the user manual, walked in real Chromium against the real server, once in
 * Japanese and once in English, reading the real emails the server sends. One applicant per
 * language goes through it all in order (a serial group sharing one tab): the homepage, user
 * registration with the Search picker and the emailed link, login errors, the menu, user
 * information, its changes, the password change, logging out, and the forgotten password.
 */
import type { BrowserContext, Locator } from '@playwright/test';
import { translate } from '../../src/i18n/messages.ts';
import {
  type Applicant,
  chiyoda,
  expectAbove,
  langs,
  linkIn,
  mailOf,
  mainServer,
  newApplicant,
  registrationFields,
  Tour,
  test,
  userIdIn,
} from './steps.ts';

const { expect } = test;

/** The notices the first migration publishes (manual 2.1.3 item 2). */
const seededNotices = {
  ja: [
    '利用規約(2019年7月25日更新)',
    '2019年7月25日から「入国管理局在留申請オンラインシステム」の運用を開始します。',
  ],
  en: [
    'Terms of use (updated July 25, 2019)',
    "Start of the Immigration Bureau's Residence application Online System from July 25, 2019",
  ],
};

/** The value shown for an item of a summary list (confirmation, User Information). */
function item(list: Locator, key: string): Locator {
  return list.locator(`dd[data-item="${key}"]`);
}

for (const lang of langs) {
  test.describe(`the manual, in ${lang === 'ja' ? 'Japanese' : 'English'}`, () => {
    test.describe.configure({ mode: 'serial' });

    let context: BrowserContext;
    let tour: Tour;
    let applicant: Applicant;
    let userId: string;

    test.beforeAll(async ({ browser }) => {
      context = await browser.newContext();
      tour = new Tour(await context.newPage(), lang);
      applicant = newApplicant(`manual-${lang}`);
    });
    test.afterAll(async () => {
      await context.close();
    });

    test('2.1 homepage: the language switch, the notices, the categories not offered', async () => {
      const { page } = tour;
      const other = lang === 'ja' ? 'en' : 'ja';
      await page.goto(`/?lang=${other}`);
      await expect(page.locator('html')).toHaveAttribute('lang', other);
      await page.getByRole('link', { name: translate('lang.switch', other), exact: true }).click();
      // from here on, every page checked with expectPage must be in `lang`: the choice is kept
      await tour.expectPage('home');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tour.t('home.title'));

      const notices = tour.region('home.notices').getByRole('listitem');
      await expect(notices).toHaveCount(seededNotices[lang].length);
      for (const title of seededNotices[lang]) {
        await expect(notices.filter({ hasText: title })).toContainText('2019/07/25');
      }

      const login = tour.region('home.login');
      await expect(tour.button('home.category.foreignNational', login)).toBeDisabled();
      await expect(tour.button('home.category.corporation', login)).toBeDisabled();
      await expect(tour.button('home.category.counter', login)).toBeEnabled();
      const register = tour.region('home.register');
      await expect(tour.button('home.category.foreignNational', register)).toBeDisabled();
      await expect(tour.button('home.category.attorney', register)).toBeDisabled();
      await expect(tour.button('home.category.counter', register)).toBeEnabled();
      await expect(page.getByText(tour.t('home.notOffered'))).toHaveCount(2);
    });

    test('2.1.2 registration: input, Search, confirmation, completion, the emailed link, the password', async () => {
      const { page } = tour;
      await tour.press(tour.categoryButton('home.register'));
      await tour.expectPage('registration.input');
      const steps = tour.t('steps.registration').split('|');
      await expect(page.locator('[aria-current="step"]')).toContainText(steps[0] as string);
      // "Required" beside each of the eight items (manual 1.4 item 3)
      await expect(page.locator('.field__required')).toHaveCount(8);

      await tour.fill(registrationFields(applicant));
      await tour.searchAddress(chiyoda, async (step) => {
        await tour.expectPage('registration.addressSearch');
        if (step === 'prefectures') {
          await expect(page.locator('button[name="prefecture"]')).toHaveCount(47);
          await expect(page.getByRole('group', { name: tour.t('region.kanto') })).toBeVisible();
        } else {
          await expect(page.locator('button[name="municipalityCode"][value="13101"]')).toBeVisible();
        }
      });
      await tour.expectPage('registration.input');
      await expect(page.getByTestId('chosen-address')).toHaveText(tour.addressName(chiyoda));
      // what was typed before Search is still there
      for (const name of ['name', 'birthDate', 'street', 'phone', 'email'] as const) {
        await expect(tour.field(name)).toHaveValue(applicant[name]);
      }

      await tour.press('button.confirm');
      await tour.expectPage('registration.confirm');
      const entered = page.getByTestId('entered');
      await expect(item(entered, 'user.name')).toHaveText(applicant.name);
      await expect(item(entered, 'user.sex')).toHaveText(tour.t('user.sex.female'));
      await expect(item(entered, 'user.address')).toHaveText(tour.addressName(chiyoda));
      await expect(item(entered, 'user.street')).toHaveText(applicant.street);
      await expect(item(entered, 'user.email')).toHaveText(applicant.email);

      // Back keeps everything entered (manual 1.4 item 7)
      await tour.press('button.back');
      await tour.expectPage('registration.input');
      await expect(tour.field('name')).toHaveValue(applicant.name);
      await expect(page.getByTestId('chosen-address')).toHaveText(tour.addressName(chiyoda));
      await tour.press('button.confirm');
      await tour.press('button.register');
      await tour.expectPage('registration.complete');
      await expect(page.getByTestId('notified')).toContainText(applicant.email);
      await expect(page.getByTestId('helpdesk')).toBeVisible();

      const mail = await mailOf(mainServer, applicant.email, 'registration', lang);
      userId = userIdIn(mail);
      await tour.open(linkIn(mail));
      await tour.expectPage('passwordRegistration');
      await expect(item(page.getByTestId('link-user'), 'user.userId')).toHaveText(userId);
      await expect(page.getByText(tour.t('passwordRegistration.introRegister'))).toBeVisible();
      await tour.fill({ password: applicant.password, passwordConfirm: applicant.password });
      await tour.press('button.register');
      await tour.expectPage('passwordRegistered');
      await expect(page.getByTestId('notified')).toContainText(applicant.email);
      await mailOf(mainServer, applicant.email, 'passwordRegistered', lang);
    });

    test('2.2 login: coded messages at the top, "!" on the fields, then the menu', async () => {
      const { page } = tour;
      await tour.press('button.backToLogin');
      await tour.expectPage('login');
      await expect(tour.button('button.forgotPassword')).toBeVisible();
      await expect(tour.button('button.home')).toBeVisible();

      await tour.press('button.login');
      await tour.expectPage('login');
      await tour.expectErrors('WZBAM001E');
      await expect(page.locator('[data-error-summary]')).toContainText(tour.error('WZBAM001E'));
      // the message is above the form (manual 1.4 item 2), the fields carry "!" (item 4)
      await expectAbove(page.locator('[data-error-summary]'), page.locator('form.main-form'));
      await expect(page.locator('.field--error .field__mark')).toHaveText(['!', '!']);
      await expect(tour.field('userId')).toHaveAttribute('aria-invalid', 'true');

      await tour.fill({ userId, password: 'Wrong#pass1' });
      await tour.press('button.login');
      await tour.expectErrors('WZBAM002E');
      await expect(tour.field('userId')).toHaveValue(userId);
      await expect(tour.field('password')).toHaveValue('');

      await tour.fill({ password: applicant.password });
      await tour.press('button.login');
      await tour.expectPage('signedIn.menu');
    });

    test('2.3 menu: the user, three disabled buttons, User information update, Log out', async () => {
      const { page } = tour;
      await expect(page.getByTestId('user-name')).toHaveText(applicant.name);
      await expect(page.getByTestId('last-login')).toHaveText(tour.t('header.firstLogin'));
      for (const key of ['menu.individual', 'menu.blanket', 'menu.search']) {
        await expect(tour.button(key)).toBeDisabled();
      }
      await expect(tour.button('button.userInfoUpdate')).toBeEnabled();
      await expect(tour.button('button.logout')).toBeEnabled();
    });

    test('2.4.2 user information: every registered item', async () => {
      const { page } = tour;
      await tour.press('button.userInfoUpdate');
      await tour.expectPage('signedIn.userInfo');
      const info = page.getByTestId('user-info');
      for (const [key, value] of [
        ['user.name', applicant.name],
        ['user.sex', tour.t('user.sex.female')],
        ['user.birthDate', applicant.birthDate],
        ['user.address', tour.addressName(chiyoda)],
        ['user.street', applicant.street],
        ['user.phone', applicant.phone],
        ['user.authId', userId],
        ['user.email', applicant.email],
      ] as const) {
        await expect(item(info, key)).toHaveText(value);
      }
      for (const key of ['button.changeUserInfo', 'button.changePassword', 'button.back']) {
        await expect(tour.button(key)).toBeEnabled();
      }
    });

    test('2.4.3 change user information: WZBAM245E, the address and contact, then the email address', async () => {
      const { page } = tour;
      await tour.press('button.changeUserInfo');
      await tour.expectPage('signedIn.changeUserInfo');
      await expect(item(page.getByTestId('current'), 'user.email')).toHaveText(applicant.email);
      await expect(page.locator('.field__required')).toHaveCount(0);
      await tour.press('button.change');
      await tour.expectErrors('WZBAM245E');
      await expect(page.locator('[data-error-summary]')).toContainText(tour.error('WZBAM245E'));

      const sapporo = '01101';
      await tour.searchAddress(sapporo);
      await tour.expectPage('signedIn.changeUserInfo');
      await tour.fill({ street: '２－２－２', phone: '0398765432' });
      await tour.press('button.change');
      await tour.expectPage('signedIn.userInfoUpdated');
      await expect(page.getByTestId('completion')).toContainText(tour.t('userInfoUpdated.lead'));
      // no email for a change other than the email address, and no word of one (2.4.1)
      await expect(page.getByTestId('notified')).toHaveCount(0);
      await expect(page.getByText(tour.t('helpdesk.noMailUpdate'))).toHaveCount(0);
      await expect(page.getByTestId('helpdesk')).toBeVisible();
      await tour.press('button.backToUserInfo');
      await tour.expectPage('signedIn.userInfo');
      await expect(item(page.getByTestId('user-info'), 'user.address')).toHaveText(tour.addressName(sapporo));
      await expect(item(page.getByTestId('user-info'), 'user.phone')).toHaveText('0398765432');

      const newEmail = `new-${applicant.email}`;
      await tour.press('button.changeUserInfo');
      await tour.fill({ email: newEmail, emailConfirm: newEmail });
      await tour.press('button.change');
      await tour.expectPage('signedIn.userInfoUpdated');
      // the completion page names the new address, and both addresses are told
      await expect(page.getByTestId('notified')).toContainText(newEmail);
      await mailOf(mainServer, applicant.email, 'emailChangedOld', lang);
      await mailOf(mainServer, newEmail, 'emailChangedNew', lang);
      applicant.email = newEmail;
      await tour.press('button.backToUserInfo');
      await expect(item(page.getByTestId('user-info'), 'user.email')).toHaveText(newEmail);
    });

    test('2.4.5 password change: the rules, then the completion page and its email', async () => {
      const { page } = tour;
      await tour.press('button.changePassword');
      await tour.expectPage('signedIn.changePassword');
      await expect(page.locator('.field__required')).toHaveCount(3);
      await tour.press('button.change');
      await tour.expectErrors('WZBAM001E');
      await expect(page.locator('.field--error .field__mark')).toHaveCount(3);

      const newPassword = `Renewed#${lang}2026`;
      for (const [current, next, confirm, code] of [
        [applicant.password, 'Ab1#', 'Ab1#', 'WZBAM020E'],
        [applicant.password, newPassword, `${newPassword}x`, 'WZBAM026E'],
        ['Wrong#pass1', newPassword, newPassword, 'WZBAM025E'],
      ] as const) {
        await tour.fill({ currentPassword: current, newPassword: next, newPasswordConfirm: confirm });
        await tour.press('button.change');
        await tour.expectPage('signedIn.changePassword');
        await tour.expectErrors(code);
      }
      await tour.fill({
        currentPassword: applicant.password,
        newPassword,
        newPasswordConfirm: newPassword,
      });
      await tour.press('button.change');
      await tour.expectPage('signedIn.passwordChanged');
      await expect(page.getByTestId('notified')).toContainText(applicant.email);
      await mailOf(mainServer, applicant.email, 'passwordChanged', lang);
      applicant.password = newPassword;
      await tour.press('button.backToUserInfo');
      await tour.expectPage('signedIn.userInfo');
      await tour.press('button.logout');
      await tour.expectPage('loggedOut');
    });

    test('2.5 forgotten password: confirmation, completion, the emailed link, a new password, login', async () => {
      const { page } = tour;
      await page.getByRole('link', { name: tour.t('button.home'), exact: true }).click();
      await tour.expectPage('home');
      await tour.press(tour.categoryButton('home.login'));
      await tour.press('button.forgotPassword');
      await tour.expectPage('forgotPassword');
      await expect(page.getByText(tour.t('forgotPassword.flow'), { exact: true })).toBeVisible();
      await tour.fill({ userId, email: applicant.email });
      await tour.press('button.send');
      await tour.expectPage('resetRequested');
      await expect(page.getByTestId('completion')).toContainText(tour.t('resetRequested.lead'));
      await expect(page.getByTestId('notified')).toContainText(applicant.email);

      const mail = await mailOf(mainServer, applicant.email, 'passwordReset', lang);
      await tour.open(linkIn(mail));
      await tour.expectPage('passwordRegistration');
      await expect(page.getByText(tour.t('passwordRegistration.introReset'))).toBeVisible();
      const password = `Again#${lang}2027`;
      await tour.fill({ password, passwordConfirm: password });
      await tour.press('button.register');
      await tour.expectPage('passwordRegistered');
      await tour.press('button.backToLogin');
      await tour.fill({ userId, password });
      await tour.press('button.login');
      await tour.expectPage('signedIn.menu');
      await expect(page.getByTestId('last-login')).not.toHaveText(tour.t('header.firstLogin'));
    });
  });
}
