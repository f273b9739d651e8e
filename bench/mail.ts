/**
 * Notifications end to end: jobs enqueued the way the service enqueues them (enqueueMail in a
 * transaction, committed), taken by the service's own mail worker and handed to a real SMTP
 * server. Latency runs from the commit to the moment the SMTP server has the whole message.
 */

import { createPool, inTransaction } from '../src/db/pool.ts';
import { enqueueMail } from '../src/mail/producer.ts';
import { createBoss, ensureQueues } from '../src/mail/queue.ts';
import { jobSeal } from '../src/mail/seal.ts';
import type { TestSmtp } from '../test/support/smtp.ts';
import type { LatencySummary } from './drivers.ts';
import { Latency } from './drivers.ts';

export interface MailOptions {
  databaseUrl: string;
  /** The worker's SESSION_SECRET: jobs are sealed with a key derived from it. */
  secret: string;
  smtp: TestSmtp;
  count: number;
  /** Jobs committed per second. */
  rate: number;
  /** How long to wait for the last messages after the last commit, in ms. */
  graceMs?: number;
}

export interface MailResult {
  enqueued: number;
  /** Enqueue attempts that failed (their transaction rolled back). */
  failedToEnqueue: number;
  accepted: number;
  lost: number;
  duplicates: number;
  rate: number;
  /** From the first commit to the last acceptance, in seconds. */
  seconds: number;
  /** Messages accepted per second between the first and the last acceptance: the worker's pace. */
  acceptedPerSecond: number;
  latency: LatencySummary;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMail(options: MailOptions): Promise<MailResult> {
  const { smtp, count, rate } = options;
  const seal = jobSeal(options.secret);
  const pool = createPool(options.databaseUrl, 8);
  // This process only enqueues: no supervision or schedules of its own.
  const boss = createBoss(options.databaseUrl, { max: 4, supervise: false, schedule: false });
  await boss.start();
  try {
    await ensureQueues(boss);
    smtp.messages.length = 0;
    const committedAt = new Map<string, number>();
    let failedToEnqueue = 0;
    const started = Date.now();
    const commits: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const to = `bench-${i}@example.com`;
      const job = {
        template: 'passwordChanged' as const,
        to,
        lang: 'ja' as const,
        data: { changedAt: new Date().toISOString() },
      };
      commits.push(
        inTransaction(pool, (client) => enqueueMail(boss, seal, client, job)).then(
          () => {
            committedAt.set(to, Date.now());
          },
          () => {
            failedToEnqueue += 1;
          },
        ),
      );
    }
    await Promise.all(commits);

    // Wait for the worker: until every committed job arrived, or nothing arrived for a while.
    const grace = options.graceMs ?? 30_000;
    let seen = smtp.messages.length;
    let quietSince = Date.now();
    while (smtp.messages.length < committedAt.size && Date.now() - quietSince < grace) {
      await sleep(50);
      if (smtp.messages.length !== seen) [seen, quietSince] = [smtp.messages.length, Date.now()];
    }

    const latency = new Latency();
    const arrived = new Set<string>();
    let duplicates = 0;
    let lastArrival = started;
    let firstArrival = Number.POSITIVE_INFINITY;
    for (const message of smtp.messages) {
      const to = message.to[0] ?? '';
      const committed = committedAt.get(to);
      if (committed === undefined) continue;
      if (arrived.has(to)) {
        duplicates += 1;
        continue;
      }
      arrived.add(to);
      const at = Date.parse(message.receivedAt);
      lastArrival = Math.max(lastArrival, at);
      firstArrival = Math.min(firstArrival, at);
      latency.add(Math.max(0, at - committed));
    }
    return {
      enqueued: committedAt.size,
      failedToEnqueue,
      accepted: arrived.size,
      lost: committedAt.size - arrived.size,
      duplicates,
      rate,
      seconds: (lastArrival - started) / 1000,
      acceptedPerSecond:
        arrived.size > 1 ? ((arrived.size - 1) * 1000) / Math.max(1, lastArrival - firstArrival) : 0,
      latency: latency.summary(),
    };
  } finally {
    await boss.stop({ graceful: false });
    await pool.end();
  }
}
