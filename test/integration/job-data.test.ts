/**
 * What the job queue keeps at rest. The emailed link sets a password and a registration is personal
 * data, yet both pass through pg-boss's tables (and so through every backup of the database): the
 * jobs carry them sealed, and a handled job is deleted within the hour.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_QUEUE } from '../../src/mail/account-requests.ts';
import { MAIL_QUEUE } from '../../src/mail/jobs.ts';
import { Browser, createUser, linkIn, type MailHarness, pickAddress, startMailHarness } from './harness.ts';

let harness: MailHarness;
beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

/** Every row of every table of the schemas, as text, that contains `needle`: `table: row`. */
async function rowsContaining(schemas: string[], needle: string): Promise<string[]> {
  const { rows: tables } = await harness.pool.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
    [schemas],
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await harness.pool.query<{ row: string }>(
      `SELECT t::text AS row FROM ${name} t WHERE strpos(t::text, $1) > 0`,
      [needle],
    );
    found.push(...rows.map(({ row }) => `${name}: ${row}`));
  }
  return found;
}

describe('the job queue at rest', () => {
  it('keeps the emailed reset token in no row of any table once the email has arrived', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    await browser.press('GO_FORGOT_PASSWORD');
    await browser.press('SEND_RESET', { userId: user.userId, email: user.email });
    const link = linkIn(await harness.mailTo(user.email, 'パスワード再設定'));
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(await rowsContaining([harness.bossSchema, 'public'], token)).toEqual([]);
    // the sealed jobs are there all the same: the search reads them
    expect(await harness.jobsFor(user.email)).toBe(1);
  });

  it("keeps a registration's personal data in no row of the queue's tables", async () => {
    const email = `sealed-${randomBytes(5).toString('hex')}@example.com`;
    const fields = {
      name: 'SEALED PERSON',
      sex: 'female',
      birthDate: '1987-06-05',
      street: '７－７－７',
      phone: '0377776666',
      email,
      emailConfirm: email,
    };
    const browser = new Browser(harness.app);
    await browser.get('/');
    await browser.press('GO_REGISTER');
    await pickAddress(browser, fields, '13101');
    await browser.press('CONFIRM_REGISTRATION', { ...fields, municipalityCode: '13101' });
    expect((await browser.press('REGISTER')).url).toBe('/register/complete');
    await harness.mailTo(email, '利用者登録受付のお知らせ');
    for (const value of [email, 'SEALED PERSON', '1987-06-05', '７－７－７', '0377776666']) {
      expect(await rowsContaining([harness.bossSchema], value), value).toEqual([]);
    }
  });

  it('deletes a handled job within the hour (pg-boss keeps completed jobs 7 days by default)', async () => {
    for (const queue of [MAIL_QUEUE, ACCOUNT_QUEUE]) {
      const settings = await harness.boss.getQueue(queue);
      expect(settings?.deleteAfterSeconds, queue).toBeGreaterThan(0);
      expect(settings?.deleteAfterSeconds, queue).toBeLessThanOrEqual(3600);
    }
  });
});
