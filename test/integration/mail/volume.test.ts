/**
 * Proof 4: 1,000 notifications enqueued, 1,000 distinct Message-IDs delivered, none lost.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueCommitted, job, type MailHarness, mailHarness, sleep, waitUntil } from './helpers.ts';

const COUNT = 1000;

let h: MailHarness;

beforeAll(async () => {
  h = await mailHarness('volume');
});

afterAll(() => h?.close());

test(`${COUNT} notifications: ${COUNT} distinct Message-IDs delivered`, { timeout: 90_000 }, async () => {
  const { db, smtp } = h;
  const boss = await db.boss();
  const started = performance.now();
  const ids: string[] = [];
  for (let from = 0; from < COUNT; from += 100) {
    const jobs = Array.from({ length: 100 }, (_, i) => job(from + i));
    ids.push(...(await enqueueCommitted(boss, db.pool, jobs)));
  }
  const enqueued = performance.now();
  await h.startWorker(boss);
  await waitUntil(() => smtp.messages.length >= COUNT, 80_000, `${COUNT} emails`);
  const delivered = performance.now();
  await sleep(1000);

  const received = smtp.messages.map((m) => m.messageId);
  expect(received).toHaveLength(COUNT);
  expect(new Set(received)).toEqual(new Set(ids.map((id) => `<job-${id}@ras-immi.example.jp>`)));
  expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(COUNT);
  console.log(
    `volume test: ${COUNT} notifications enqueued in ${Math.round(enqueued - started)} ms (10 transactions), ` +
      `delivered in ${Math.round(delivered - enqueued)} ms (${Math.round((COUNT / (delivered - enqueued)) * 1000)}/s), ` +
      `${new Set(received).size} distinct Message-IDs`,
  );
});
