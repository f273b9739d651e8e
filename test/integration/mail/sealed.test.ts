/**
 * A job that does not open with the worker's key (another SESSION_SECRET, or a forged row) is
 * dead-lettered at once, and nothing is sent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jobSeal } from '../../../src/mail/seal.ts';
import {
  enqueueCommitted,
  job,
  MAIL_DEAD_LETTER_QUEUE,
  type MailHarness,
  mailHarness,
  waitUntil,
} from './helpers.ts';

let h: MailHarness;
beforeAll(async () => {
  h = await mailHarness('sealed');
});
afterAll(() => h?.close());

test('a job sealed with another key is dead-lettered unopened and sends nothing', async () => {
  const boss = await h.db.boss();
  await h.startWorker(boss, { seal: jobSeal('a secret other than the web processes one') });
  const [id] = await enqueueCommitted(boss, h.db.pool, [job(1)]);
  await waitUntil(
    async () => (await h.db.jobs(MAIL_DEAD_LETTER_QUEUE)).length === 1,
    15_000,
    'a dead letter',
  );
  const [source] = (await h.db.jobs()).filter((row) => row.id === id);
  expect(source?.retry_count).toBe(0);
  expect(source?.output).toMatchObject({ name: 'SealError' });
  expect(h.smtp.messages).toEqual([]);
});
