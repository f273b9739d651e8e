/**
 * An operator ends every session of one user (`DELETE /operator/users/<user ID>/sessions`, behind
 * the operator token): before disabling or removing an account, or when it is thought taken over.
 * Black-box over HTTP against real PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

const token = 'operator-token-for-user-sessions';
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ OPERATOR_TOKEN: token });
});
afterAll(() => harness.close());

const endSessions = (userId: string, authorization?: string) =>
  harness.app.inject({
    method: 'DELETE',
    url: `/operator/users/${encodeURIComponent(userId)}/sessions`,
    headers: authorization ? { authorization } : {},
  });

/** Whether the browser's session still reaches the menu (a reload of the page it is on). */
async function signedIn(browser: Browser): Promise<boolean> {
  const page = await browser.refresh();
  return page.status === 200 && page.url === '/menu';
}

describe("ending a user's sessions", () => {
  it("ends every session of the user, and no other user's, when the operator sends the token", async () => {
    const user = await createUser(harness.pool);
    const other = await createUser(harness.pool);
    const first = new Browser(harness.app);
    const second = new Browser(harness.app);
    const bystander = new Browser(harness.app);
    await first.login(user);
    await second.login(user);
    await bystander.login(other);
    expect(await signedIn(first)).toBe(true);

    const response = await endSessions(user.userId, `Bearer ${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ended: 2 });
    expect(await signedIn(first)).toBe(false);
    expect(await signedIn(second)).toBe(false);
    expect(await signedIn(bystander)).toBe(true);
  });

  it("moves the user's credential epoch on by one, the epoch a login in flight is checked against", async () => {
    const user = await createUser(harness.pool);
    const epoch = async () =>
      (await harness.pool.query('SELECT credential_epoch FROM users WHERE id = $1', [user.id])).rows[0]
        .credential_epoch as number;
    const before = await epoch();
    expect((await endSessions(user.userId, `Bearer ${token}`)).statusCode).toBe(200);
    expect(await epoch()).toBe(before + 1);
  });

  it('refuses without the operator token (401) and ends no session', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    expect((await endSessions(user.userId)).statusCode).toBe(401);
    expect((await endSessions(user.userId, 'Bearer not-the-operator-token')).statusCode).toBe(401);
    expect(await signedIn(browser)).toBe(true);
  });

  it('answers 404 for a user ID nobody has', async () => {
    const response = await endSessions('nobody-has-this-id', `Bearer ${token}`);
    expect(response.statusCode).toBe(404);
  });
});
