/**
 * A graceful stop waits for the message in hand: the worker stops fetching, the relay accepts
 * the message it is sending, its job is completed, and only then does stop() resolve.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueCommitted, job, type MailHarness, mailHarness, startRelay, waitUntil } from './helpers.ts';

const SLOW_MS = 1500;

let h: MailHarness;
let slow: Awaited<ReturnType<typeof startRelay>>;
const accepted: number[] = [];

beforeAll(async () => {
  h = await mailHarness('stop');
  // A relay that takes its time over each message.
  slow = await startRelay({
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () =>
        setTimeout(() => {
          accepted.push(Date.now());
          callback();
        }, SLOW_MS),
      );
    },
  });
});

afterAll(async () => {
  await h?.close();
  await slow?.close();
});

test('stop() resolves only after the message in hand was accepted and its job completed', async () => {
  const { db } = h;
  const boss = await db.boss();
  const worker = await h.startWorker(boss, { smtpUrl: slow.url });
  const [id] = await enqueueCommitted(boss, db.pool, [job(1)]);
  await waitUntil(async () => (await db.jobs())[0]?.state === 'active', 10_000, 'the job to be taken');

  await worker.stop();
  const stopped = Date.now();
  expect(accepted).toHaveLength(1);
  expect(stopped).toBeGreaterThanOrEqual(accepted[0] ?? Number.POSITIVE_INFINITY);
  expect((await db.jobs()).map((j) => [j.id, j.state])).toEqual([[id, 'completed']]);

  // Stopped means stopped: a job enqueued now stays queued.
  await enqueueCommitted(boss, db.pool, [job(2)]);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(accepted).toHaveLength(1);
  expect((await db.jobs()).map((j) => j.state)).toEqual(['completed', 'created']);
});
