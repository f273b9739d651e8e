/**
 * Password fields as browsers and password managers meet them, and passwords as the server judges
 * them: masked inputs with the right autocomplete on every page that asks for one, nothing that
 * blocks pasting, the password verified exactly as typed, and no password that ages out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, linkIn, type MailHarness, startMailHarness } from './harness.ts';

let harness: MailHarness;
beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

/** name → its other attributes, for every input of the page whose name mentions a password. */
function passwordInputs(html: string): Record<string, Record<string, string>> {
  const inputs: Record<string, Record<string, string>> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const attributes = Object.fromEntries(
      [...tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].slice(1).map(([, name, value]) => [name, value ?? '']),
    );
    if (/password/i.test(attributes.name ?? '')) inputs[attributes.name as string] = attributes;
  }
  return inputs;
}

function expectMasked(html: string, expected: Record<string, 'current-password' | 'new-password'>) {
  const inputs = passwordInputs(html);
  expect(Object.keys(inputs).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, autocomplete] of Object.entries(expected)) {
    expect(inputs[name], name).toMatchObject({ type: 'password', autocomplete });
    expect(inputs[name]?.value ?? '', name).toBe('');
    expect(
      Object.keys(inputs[name] ?? {}).filter((attribute) => attribute.startsWith('on')),
      name,
    ).toEqual([]);
  }
}

describe('password fields', () => {
  it('are masked, with current-password or new-password for the browser, and never hold a value', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.get('/');
    const login = await browser.press('GO_LOGIN');
    expectMasked(login.html, { password: 'current-password' });
    // the user ID travels beside it for password managers
    expect(login.html).toMatch(/autocomplete="username"/);
    const wrong = await browser.press('LOGIN', { userId: user.userId, password: 'Wrong#pass1' });
    expectMasked(wrong.html, { password: 'current-password' });

    await browser.press('LOGIN', { userId: user.userId, password: user.password });
    await browser.press('GO_USER_INFO');
    const change = await browser.press('GO_CHANGE_PASSWORD');
    expectMasked(change.html, {
      currentPassword: 'current-password',
      newPassword: 'new-password',
      newPasswordConfirm: 'new-password',
    });

    const forgot = new Browser(harness.app);
    await forgot.get('/');
    await forgot.press('GO_LOGIN');
    await forgot.press('GO_FORGOT_PASSWORD');
    await forgot.press('SEND_RESET', { userId: user.userId, email: user.email });
    const registration = await forgot.get(linkIn(await harness.mailTo(user.email, 'パスワード再設定')));
    expectMasked(registration.html, { password: 'new-password', passwordConfirm: 'new-password' });
  });

  it('are not kept from pasting by any script the pages load', () => {
    const assets = join(import.meta.dirname, '..', '..', 'templates', 'assets');
    for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
      expect(readFileSync(join(assets, file), 'utf8'), file).not.toMatch(/paste|clipboard|oncopy|oncut/i);
    }
  });
});

describe('passwords', () => {
  it('are verified exactly as typed: surrounding spaces are not trimmed away', async () => {
    const user = await createUser(harness.pool);
    for (const typed of [` ${user.password}`, `${user.password} `, user.password.toLowerCase()]) {
      const page = await new Browser(harness.app).login({ ...user, password: typed });
      expect(page.url, JSON.stringify(typed)).toBe('/login');
      expect(page.html).toContain('WZBAM002E');
    }
    expect((await new Browser(harness.app).login(user)).url).toBe('/menu');
  });

  it('never expire: a password set years ago still logs straight in to the menu', async () => {
    const user = await createUser(harness.pool);
    await harness.pool.query(
      "UPDATE users SET password_changed_at = now() - interval '6 years' WHERE id = $1",
      [user.id],
    );
    const page = await new Browser(harness.app).login(user);
    expect(page.url).toBe('/menu');
  });
});
