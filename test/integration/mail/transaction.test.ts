/**
 * Proof 1: an email enqueued in a transaction that rolls back is never sent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueMail } from '../../../src/mail/producer.ts';
import { enqueueCommitted, job, type MailHarness, mailHarness, SEAL, sleep } from './helpers.ts';

let h: MailHarness;

beforeAll(async () => {
  h = await mailHarness('tx');
  await h.startWorker(await h.db.boss());
});

afterAll(() => h?.close());

test('a rolled-back transaction sends nothing; a committed one sends its email', async () => {
  const { db, smtp } = h;
  const boss = await db.boss();
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    for (let i = 0; i < 3; i++)
      await enqueueMail(boss, SEAL, client, job(i, { to: `rolled-back-${i}@example.com` }));
    // Inside the transaction the jobs exist…
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM ${db.schema}.job WHERE name = 'notifications'`,
    );
    expect(rows[0].n).toBe(3);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  // …and after the rollback they never did: the queue is empty.
  expect(await db.jobs()).toEqual([]);

  // A committed notification afterwards proves the worker was running all along.
  const [committed] = await enqueueCommitted(boss, db.pool, [job(9, { to: 'committed@example.com' })]);
  const message = await smtp.waitFor((m) => m.to.includes('committed@example.com'), 10_000);
  expect(message.messageId).toBe(`<job-${committed}@ras-immi.example.jp>`);
  // Longer than the worker's polling interval and several NOTIFY round trips.
  await sleep(3000);
  expect(smtp.messages.map((m) => m.to.join())).toEqual(['committed@example.com']);
  const jobs = await db.jobs();
  expect(jobs.map((j) => [j.id, j.state])).toEqual([[committed, 'completed']]);
});
