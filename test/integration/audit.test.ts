/**
 * The audit trail: every authentication operation beyond the login (security.test.ts has the login
 * and the lockout) with its outcome, user and client address, never a secret or an address; the
 * trail append-only while it is kept; each event also in the log stream once committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeAuditEvents, recordAudit } from '../../src/db/audit.ts';
import {
  Browser,
  capturedLogger,
  createUser,
  linkIn,
  type MailHarness,
  requestReset,
  startHarness,
  startMailHarness,
  type TestUser,
} from './harness.ts';

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
    await requestReset(harness.app, user.userId, `other-${user.email}`);
    await requestReset(harness.app, user.userId, user.email);
    const requests = await waitForAudit(user, 'password_reset_request', 2);
    // one worker may take the second request first: the order of the rows is not the claim
    expect(requests).toHaveLength(2);
    expect(requests).toEqual(
      expect.arrayContaining([
        { kind: 'password_reset_request', outcome: 'failure', ip: '127.0.0.1', detail: {} },
        { kind: 'password_reset_request', outcome: 'success', ip: '127.0.0.1', detail: {} },
      ]),
    );

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

describe('the audit trail itself', () => {
  /** Runs `sql` in a transaction that is rolled back whatever happens, and answers its error. */
  async function refusal(sql: string, values: unknown[] = []): Promise<string> {
    const client = await harness.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql, values);
      return 'allowed';
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it("refuses, through the app's own connections, to change, delete or truncate an event while it is kept", async () => {
    const user = await createUser(harness.pool);
    await new Browser(harness.app).login(user);
    const { rows } = await harness.pool.query<{ id: string }>(
      "SELECT id::text FROM audit_events WHERE user_ref = $1 AND kind = 'login'",
      [user.id],
    );
    const id = rows[0]?.id;
    expect(id).toBeDefined();
    for (const [sql, values] of [
      ["UPDATE audit_events SET outcome = 'failure' WHERE id = $1", [id]],
      ['UPDATE audit_events SET user_ref = NULL, ip = NULL WHERE id = $1', [id]],
      ["UPDATE audit_events SET at = now() - interval '2 years' WHERE id = $1", [id]],
      ['DELETE FROM audit_events WHERE id = $1', [id]],
      ['TRUNCATE audit_events', []],
    ] as const) {
      expect(await refusal(sql, [...values]), sql).toMatch(/append-only/);
    }
  });

  it('purges only the events past their year of retention', async () => {
    const insert = (age: string, marker: string) =>
      harness.pool.query(
        `INSERT INTO audit_events (at, kind, outcome, detail) VALUES (now() - $1::interval, 'login', 'failure', $2)`,
        [age, JSON.stringify({ marker })],
      );
    const marker = `purge-${Date.now()}`;
    await insert('366 days', `${marker}-old`);
    await insert('364 days', `${marker}-kept`);
    expect(await purgeAuditEvents(harness.pool)).toBeGreaterThanOrEqual(1);
    const { rows } = await harness.pool.query<{ marker: string }>(
      "SELECT detail->>'marker' AS marker FROM audit_events WHERE detail->>'marker' LIKE $1",
      [`${marker}%`],
    );
    expect(rows.map((row) => row.marker)).toEqual([`${marker}-kept`]);
  });

  it('keeps the events of a deleted user, no longer attributed', async () => {
    const user = await createUser(harness.pool);
    await new Browser(harness.app).login(user);
    const ofUser = await harness.pool.query<{ id: string }>(
      'SELECT id::text FROM audit_events WHERE user_ref = $1',
      [user.id],
    );
    await harness.pool.query('DELETE FROM users WHERE id = $1', [user.id]);
    const { rows } = await harness.pool.query(
      'SELECT kind, outcome, user_ref FROM audit_events WHERE id = ANY($1::bigint[])',
      [ofUser.rows.map((row) => row.id)],
    );
    expect(rows).toEqual([{ kind: 'login', outcome: 'success', user_ref: null }]);
  });

  it('writes each committed event to the log stream, once, and never one rolled back', async () => {
    const { lines, logger } = capturedLogger();
    const logged = await startHarness({}, { logger });
    try {
      const user = await createUser(logged.pool);
      await new Browser(logged.app).login({ ...user, password: 'Wrong#pass1' });
      const marker = `log-${Date.now()}`;
      for (const outcome of ['rolled back', 'committed']) {
        const client = await logged.pool.connect();
        await client.query('BEGIN');
        await recordAudit(client, {
          kind: 'registration',
          outcome: 'failure',
          ip: '192.0.2.1',
          detail: { marker, outcome },
        });
        await client.query(outcome === 'committed' ? 'COMMIT' : 'ROLLBACK');
        client.release();
      }
      const audits = () =>
        lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'audit event');
      await expect
        .poll(() => audits().filter((entry) => entry.audit.detail?.marker === marker).length)
        .toBe(1);
      await expect.poll(() => audits().filter((entry) => entry.audit.userRef === user.id).length).toBe(1);
      const [login] = audits().filter((entry) => entry.audit.userRef === user.id);
      expect(login.audit).toMatchObject({
        kind: 'login',
        outcome: 'failure',
        ip: '127.0.0.1',
        detail: { reason: 'wrong password' },
      });
      expect(audits().find((entry) => entry.audit.detail?.marker === marker).audit.detail.outcome).toBe(
        'committed',
      );
      expect(lines.join('\n')).not.toContain('Wrong#pass1');
    } finally {
      await logged.close();
    }
  });
});
