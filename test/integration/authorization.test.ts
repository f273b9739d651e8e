/**
 * Object- and field-level authorization: a signed-in user reads and changes only their own record,
 * identified by the session, whatever the request names; and of it only the items the manual lets
 * them change (address, phone, email). Over HTTP against the real app, PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/db/users.ts';
import { Browser, createUser, type MailHarness, startMailHarness } from './harness.ts';

let harness: MailHarness;
beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

describe('authorization', () => {
  it('changes only the signed-in user, and only address, phone and email, whatever else is posted', async () => {
    const a = await createUser(harness.pool);
    const b = await createUser(harness.pool, { name: 'OTHER PERSON', phone: '0399998888' });
    const bView = new Browser(harness.app);
    await bView.login(b);
    await bView.press('GO_USER_INFO');
    const bBefore = await findUserById(harness.pool, b.id);
    const bCached = await harness.store.cachedProfile(b.id);

    const browser = new Browser(harness.app);
    await browser.login(a);
    const aBefore = await findUserById(harness.pool, a.id);
    await browser.press('GO_USER_INFO');
    await browser.press('GO_CHANGE_USER_INFO');
    const newEmail = `moved-${a.email}`;
    const done = await browser.press('CHANGE_USER_INFO', {
      municipalityCode: '13101',
      street: '３－３－３',
      phone: '0311112222',
      email: newEmail,
      emailConfirm: newEmail,
      // naming the other user, and the fields no user may write
      id: b.id,
      user_ref: b.id,
      userRef: b.id,
      userId: b.userId,
      user_id: b.userId,
      name: 'INTRUDER',
      sex: 'female',
      birthDate: '1990-12-31',
      birth_date: '1990-12-31',
      password_hash: 'forged-hash',
      passwordHash: 'forged-hash',
      password: 'Forged#2026',
      failed_logins: '0',
      locked_until: '2000-01-01',
      lang: 'en',
    });
    expect(done.url).toBe('/user-info/updated');

    expect(await findUserById(harness.pool, b.id)).toEqual(bBefore);
    expect(await harness.store.cachedProfile(b.id)).toEqual(bCached);
    expect(await findUserById(harness.pool, a.id)).toEqual({
      ...aBefore,
      municipality_code: '13101',
      street: '３－３－３',
      phone: '0311112222',
      email: newEmail,
    });

    // A's pages show A, never B, even when a request names B
    const info = await browser.press('BACK_TO_USER_INFO');
    expect(info.html).toContain(`<dd data-item="user.authId">${a.userId}</dd>`);
    expect(info.html).toContain(`<dd data-item="user.email">${newEmail}</dd>`);
    for (const ofB of [b.userId, b.email, 'OTHER PERSON', '0399998888']) expect(info.html).not.toContain(ofB);
    const named = await browser.get(`/user-info?id=${b.id}&userId=${b.userId}`);
    for (const ofB of [b.userId, b.email, 'OTHER PERSON', '0399998888'])
      expect(named.html).not.toContain(ofB);
    // and the old password still opens A's account: no hash was written
    expect((await new Browser(harness.app).login(a)).url).toBe('/menu');
  });
});
