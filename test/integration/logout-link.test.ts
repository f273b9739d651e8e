/**
 * Every page that needs a login offers Log out (ASVS v5.0.0-7.4.4): one walk through every signed-in
 * page state of the machine, each rendered by the real server, each showing the Log out button;
 * the walk must reach them all, so a new signed-in page cannot escape the check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.ts';
import { indexPages } from '../../src/flow/pages.ts';
import { Browser, createUser, type Harness, type Page, pickAddress, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const signedInUrls = indexPages(sessionMachine)
  .pages.filter((page) => page.path.startsWith('signedIn.'))
  .map((page) => page.meta.url);

describe('Log out', () => {
  it('is a button on every signed-in page of the machine, and pressing it ends the session', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    const seen = new Map<string, Page>();
    const visit = (page: Page) => seen.set(page.url, page);
    visit(await browser.login(user));
    visit(await browser.press('GO_USER_INFO'));
    visit(await browser.press('GO_CHANGE_USER_INFO'));
    const picked = await pickAddress(browser, {}, '13101');
    visit(picked.prefectures);
    visit(picked.municipalities);
    visit(
      await browser.press('CHANGE_USER_INFO', {
        municipalityCode: '13101',
        street: '１－１',
        phone: '0311112222',
      }),
    );
    visit(await browser.press('BACK_TO_USER_INFO'));
    visit(await browser.press('GO_CHANGE_PASSWORD'));
    const newPassword = 'Zq7#mountain';
    visit(
      await browser.press('CHANGE_PASSWORD', {
        currentPassword: user.password,
        newPassword,
        newPasswordConfirm: newPassword,
      }),
    );

    expect([...seen.keys()].sort()).toEqual([...new Set(signedInUrls)].sort());
    for (const [url, page] of seen) {
      expect(page.status, url).toBe(200);
      expect(page.html, url).toContain('value="LOGOUT"');
    }
    const out = await browser.press('LOGOUT');
    expect(out.url).toBe('/logged-out');
    expect((await browser.get('/menu')).url).not.toBe('/menu');
  });
});
