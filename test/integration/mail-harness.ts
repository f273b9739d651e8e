/** The harness with the workers running, delivering to a real SMTP server of its own. */
import { randomBytes } from 'node:crypto';
import { MAIL_QUEUE } from '../../src/mail/jobs.ts';
import { openMailJob } from '../../src/mail/producer.ts';
import { type Message, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { type Harness, startHarness } from './harness.ts';

export interface MailHarness extends Harness {
  /** The pg-boss schema of this harness's queues. */
  bossSchema: string;
  /** The real SMTP server the notification worker delivers this harness's mail to. */
  smtp: TestSmtp;
  /** The first email to `to` whose subject contains `subject` (already received or still to come). */
  mailTo(to: string, subject?: string): Promise<Message>;
  /** How many notification jobs for `to` were enqueued (committed), sent or not. */
  jobsFor(to: string): Promise<number>;
}

export async function startMailHarness(env: Record<string, string> = {}): Promise<MailHarness> {
  const schema = `pages_${randomBytes(4).toString('hex')}`;
  const smtp = await startSmtp();
  const harness = await startHarness(
    {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@ras-immi.example.jp',
      // the pages and the emails name the same help desk
      HELPDESK_TEL: '050-0000-0000',
      HELPDESK_EMAIL: 'helpdesk@example.jp',
      ...env,
    },
    { bossSchema: schema, workers: true },
  );
  return {
    ...harness,
    bossSchema: schema,
    smtp,
    mailTo: (to, subject = '') =>
      smtp.waitFor((message) => message.to.includes(to) && message.subject.includes(subject)),
    async jobsFor(to) {
      const { rows } = await harness.pool.query<{ data: unknown }>(
        `SELECT data FROM ${schema}.job WHERE name = $1`,
        [MAIL_QUEUE],
      );
      return rows.filter((row) => openMailJob(harness.seal, row.data).to === to).length;
    },
    async close() {
      await harness.close();
      await smtp.close();
    },
  };
}
