/**
 * One email address, one account, and no mailbox flooded through the portal: registrations of one
 * address handled at once, an email change to another account's address, the database's own
 * guarantee, and the hourly cap on emails that anonymous requests send to one recipient.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProfile } from '../../src/db/demo-user.ts';
import { findUserById, insertUser } from '../../src/db/users.ts';
import { ACCOUNT_QUEUE, createAccountRequestHandler } from '../../src/mail/account-requests.ts';
import { MAIL_QUEUE } from '../../src/mail/jobs.ts';
import { openMailJob } from '../../src/mail/producer.ts';
import { Browser, createUser, type MailHarness, startMailHarness } from './harness.ts';

const CAP = 3;
let harness: MailHarness;
beforeAll(async () => {
  harness = await startMailHarness({ MAIL_PER_RECIPIENT_PER_HOUR: String(CAP) });
});
afterAll(() => harness.close());

const freshAddress = () => `one-${randomBytes(5).toString('hex')}@example.com`;

/** The templates of the notifications queued for `to`, whatever their state. */
async function notificationsTo(to: string): Promise<string[]> {
  const { rows } = await harness.pool.query<{ data: unknown }>(
    `SELECT data FROM ${harness.bossSchema}.job WHERE name = $1 ORDER BY created_on`,
    [MAIL_QUEUE],
  );
  return rows
    .map((row) => openMailJob(harness.seal, row.data))
    .filter((job) => job.to === to)
    .map((job) => job.template);
}

async function usersWith(email: string): Promise<number> {
  const { rows } = await harness.pool.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email]);
  return rows.length;
}

function registration(email: string) {
  return {
    name: 'ONE ADDRESS',
    sex: 'male',
    birthDate: '1980-02-03',
    municipalityCode: '13101',
    street: '１－１',
    phone: '0312345678',
    email,
    emailConfirm: email,
  };
}

describe('one address, one account', () => {
  it('makes one account and one notice when two workers handle registrations of one new address at once', async () => {
    const email = freshAddress();
    const handle = createAccountRequestHandler({
      config: harness.config,
      pool: harness.pool,
      boss: harness.boss,
      seal: harness.seal,
    });
    const request = {
      kind: 'register' as const,
      values: registration(email),
      lang: 'ja' as const,
      ip: '192.0.2.5',
    };
    await Promise.all([handle(randomUUID(), request), handle(randomUUID(), request)]);
    expect(await usersWith(email)).toBe(1);
    expect((await notificationsTo(email)).sort()).toEqual(['registration', 'registrationExisting']);
  });

  it('refuses a second account with the same address in another case, in the database itself', async () => {
    const email = freshAddress();
    const profile = { ...demoProfile, lang: 'ja' as const };
    await insertUser(harness.pool, { ...profile, user_id: `a${randomBytes(4).toString('hex')}`, email });
    await expect(
      insertUser(harness.pool, {
        ...profile,
        user_id: `b${randomBytes(4).toString('hex')}`,
        email: email.toUpperCase(),
      }),
    ).rejects.toThrow(/users_email_key/);
  });

  it("refuses an email change to another account's address with WZBAM351E on the field, changing and sending nothing", async () => {
    const other = await createUser(harness.pool);
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.press('GO_USER_INFO');
    await browser.press('GO_CHANGE_USER_INFO');
    const taken = other.email.toUpperCase();
    const page = await browser.press('CHANGE_USER_INFO', {
      email: taken,
      emailConfirm: taken,
      phone: '0399990000',
    });
    expect(page.url).toBe('/user-info/change');
    expect(page.html).toContain('WZBAM351E');
    expect(page.html).toContain('href="#field-email"');
    expect(await findUserById(harness.pool, user.id)).toMatchObject({
      email: user.email,
      phone: '123456789012',
    });
    expect(await notificationsTo(other.email)).toEqual([]);
    expect(await notificationsTo(user.email)).toEqual([]);
    // one's own address in another case is no other account's
    const own = user.email.toUpperCase();
    const done = await browser.press('CHANGE_USER_INFO', { email: own, emailConfirm: own });
    expect(done.url).toBe('/user-info/updated');
  });
});

describe('emails per recipient', () => {
  it(`delivers at most ${CAP} emails an hour to an address that six registrations name`, async () => {
    const email = freshAddress();
    for (let i = 0; i < 6; i++) {
      const browser = new Browser(harness.app);
      await browser.get('/');
      await browser.press('GO_REGISTER');
      await browser.press('CONFIRM_REGISTRATION', registration(email));
      expect((await browser.press('REGISTER')).url).toBe('/register/complete');
    }
    const handled = async () =>
      (await harness.boss.findJobs(ACCOUNT_QUEUE)).filter((job) => job.state === 'completed').length;
    await expect.poll(handled, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    expect(await notificationsTo(email)).toEqual([
      'registration',
      'registrationExisting',
      'registrationExisting',
    ]);
    await expect
      .poll(() => harness.smtp.messages.filter((m) => m.to.includes(email)).length, { timeout: 15_000 })
      .toBe(CAP);
    expect(await usersWith(email)).toBe(1);
    const { rows } = await harness.pool.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE kind = 'registration' AND detail->>'reason' = 'recipient cap'
        AND at > now() - interval '5 minutes'`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
