/**
 * The audit trail of every authentication operation beyond the login (security.test.ts has the
 * login and the lockout): password change, password set from an emailed link, reset request and
 * email change, each with its outcome, user and client address, and never a secret or an address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, linkIn, type MailHarness, startMailHarness, type TestUser } from './harness.ts';

let harness: MailHarness;
beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

interface AuditRow {
  kind: string;
  outcome: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

async function auditOf(user: TestUser, kind: string): Promise<AuditRow[]> {
  const { rows } = await harness.pool.query<AuditRow>(
    'SELECT kind, outcome, host(ip) AS ip, detail FROM audit_events WHERE user_ref = $1 AND kind = $2 ORDER BY id',
    [user.id, kind],
  );
  return rows;
}

/** Nothing a person typed or was sent: passwords, tokens, addresses. */
function expectNoSecretIn(rows: AuditRow[], ...secrets: string[]) {
  const text = JSON.stringify(rows);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

async function atChangePassword(user: TestUser): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.login(user);
  await browser.press('GO_USER_INFO');
  await browser.press('GO_CHANGE_PASSWORD');
  return browser;
}

async function requestReset(userId: string, email: string): Promise<void> {
  const browser = new Browser(harness.app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  await browser.press('GO_FORGOT_PASSWORD');
  await browser.press('SEND_RESET', { userId, email });
}

/** The worker handles reset requests off the request path: wait for its row. */
async function waitForAudit(user: TestUser, kind: string, count: number): Promise<AuditRow[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await auditOf(user, kind);
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('audit trail of authentication operations', () => {
  it('records a password change that succeeded and one refused for a wrong current password', async () => {
    const user = await createUser(harness.pool);
    const browser = await atChangePassword(user);
    const fields = (current: string) => ({
      currentPassword: current,
      newPassword: 'Changed#2026x',
      newPasswordConfirm: 'Changed#2026x',
    });
    expect((await browser.press('CHANGE_PASSWORD', fields('Wrong#pass1'))).html).toContain('WZBAM025E');
    expect((await browser.press('CHANGE_PASSWORD', fields(user.password))).url).toBe('/password/changed');
    const rows = await auditOf(user, 'password_change');
    expect(rows).toEqual([
      {
        kind: 'password_change',
        outcome: 'failure',
        ip: '127.0.0.1',
        detail: { reason: 'wrong current password' },
      },
      { kind: 'password_change', outcome: 'success', ip: '127.0.0.1', detail: {} },
    ]);
    expectNoSecretIn(rows, 'Wrong#pass1', user.password, 'Changed#2026x');
  });

  it('records a reset request that matched and one that did not, then the password set from the link', async () => {
    const user = await createUser(harness.pool);
    await requestReset(user.userId, `other-${user.email}`);
    await requestReset(user.userId, user.email);
    const requests = await waitForAudit(user, 'password_reset_request', 2);
    expect(requests).toEqual([
      { kind: 'password_reset_request', outcome: 'failure', ip: '127.0.0.1', detail: {} },
      { kind: 'password_reset_request', outcome: 'success', ip: '127.0.0.1', detail: {} },
    ]);

    const link = linkIn(await harness.mailTo(user.email, 'パスワード再設定'));
    const browser = new Browser(harness.app);
    await browser.get(link);
    await browser.press('SET_PASSWORD', { password: 'Reset#2026x', passwordConfirm: 'Reset#2026x' });
    const set = await auditOf(user, 'password_set');
    expect(set).toEqual([
      { kind: 'password_set', outcome: 'success', ip: '127.0.0.1', detail: { purpose: 'reset' } },
    ]);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    expectNoSecretIn([...requests, ...set], user.email, token, 'Reset#2026x');
  });

  it('records an email change with the fields changed, never the addresses', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.press('GO_USER_INFO');
    await browser.press('GO_CHANGE_USER_INFO');
    const newEmail = `changed-${user.email}`;
    await browser.press('CHANGE_USER_INFO', { email: newEmail, emailConfirm: newEmail, phone: '0311112222' });
    const rows = await auditOf(user, 'email_change');
    expect(rows).toEqual([
      { kind: 'email_change', outcome: 'success', ip: '127.0.0.1', detail: { fields: 'phone,email' } },
    ]);
    expectNoSecretIn(rows, user.email, newEmail, '0311112222');
  });
});
