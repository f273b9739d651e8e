/**
 * Proof 2: while the relay refuses connections every email waits; once it is back, every email
 * arrives, each exactly once, with the Message-ID of its job.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueCommitted, job, type MailHarness, mailHarness, sleep, waitUntil } from './helpers.ts';

let h: MailHarness;

beforeAll(async () => {
  h = await mailHarness('retry');
});

afterAll(() => h?.close());

test('emails enqueued while SMTP is down all arrive once it is back', async () => {
  const { db, smtp, log } = h;
  const boss = await db.boss();
  smtp.refuse(true);
  await h.startWorker(boss);
  const count = 20;
  const ids = await enqueueCommitted(
    boss,
    db.pool,
    Array.from({ length: count }, (_, i) => job(i)),
  );

  // Down for a while: attempts fail and are scheduled again; nothing is lost or given up.
  await waitUntil(
    async () => (await db.jobs()).every((j) => j.retry_count >= 2),
    15_000,
    'two failed attempts each',
  );
  expect(smtp.messages).toHaveLength(0);
  const waiting = await db.jobs();
  expect(waiting.every((j) => j.state === 'retry' || j.state === 'active')).toBe(true);
  expect(JSON.stringify(waiting.map((j) => j.output))).toContain('"responseCode":421');

  smtp.refuse(false);
  await waitUntil(() => smtp.messages.length >= count, 20_000, `${count} emails`);
  await sleep(1500);
  const received = smtp.messages.map((m) => m.messageId).sort();
  expect(received).toEqual(ids.map((id) => `<job-${id}@ras-immi.example.jp>`).sort());
  expect((await db.jobs()).every((j) => j.state === 'completed')).toBe(true);

  // The failures were logged with masked addresses only.
  const failures = log.lines.filter((line) => line.includes('not accepted'));
  expect(failures.length).toBeGreaterThan(0);
  expect(log.lines.join('\n')).not.toMatch(/user\d+@example\.com/);
  expect(failures[0]).toContain('u***@example.com');
});
