/**
 * The pg-boss instance and the two notification queues. Retry and expiry are set on the queue, so
 * every job inherits them and the producer never repeats them.
 */
import { type ConstructorOptions, PgBoss, type Queue, type QueueOptions } from 'pg-boss';
import { MAIL_DEAD_LETTER_QUEUE, MAIL_QUEUE, maskAddressesIn } from './jobs.ts';

/**
 * How a notification is retried. 9 attempts with exponential backoff from 30 s, capped at an hour
 * between tries, cover a relay outage of about two hours before a message is dead-lettered.
 * A job may stay active 2 minutes: far above one SMTP transaction (the transport gives up on a
 * silent server after 30 s), far below the 15-minute default that would hold a message back.
 * A worker that dies stops its heartbeat, so its jobs are retried after 15 s, not at expiry.
 */
export const DEFAULT_MAIL_QUEUE_OPTIONS = {
  retryLimit: 8,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 120,
  heartbeatSeconds: 15,
  /** A notification that could not go out within two weeks is not worth sending. */
  retentionSeconds: 14 * 24 * 3600,
  /** A sent notification is needed no longer: its (sealed) row goes within the hour, not in 7 days. */
  deleteAfterSeconds: 3600,
} as const satisfies QueueOptions;

/** Dead letters wait for an operator (`npm run mail:dead`) for 30 days. */
const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

export type MailQueueOptions = Partial<QueueOptions>;

/**
 * A pg-boss instance for the notification queue. LISTEN/NOTIFY wakes the worker when a job is
 * committed, so a notification leaves within milliseconds instead of a polling interval.
 *
 * pg-boss's own connections commit asynchronously (`synchronous_commit=off`): claiming, completing,
 * failing and dead-lettering jobs then wait for no WAL flush (several ms per commit on ordinary
 * disks, which at 50 messages/s is most of the latency). What it risks, on a database crash only,
 * is the last fraction of a second of those state changes: a job may be claimed or completed
 * again, so a message may go out twice (with the same Message-ID), never zero times. A job itself
 * is inserted through the caller's transaction and connection, which keep their own settings.
 * `overrides` is for tests (e.g. a 1-second supervision interval).
 */
export function createBoss(databaseUrl: string, overrides: Partial<ConstructorOptions> = {}): PgBoss {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    application_name: 'zairyu-mail',
    useListenNotify: true,
    options: '-c synchronous_commit=off',
    // Retention (deleteAfterSeconds) is applied by this sweep: every 10 minutes, not once a day.
    maintenanceIntervalSeconds: 600,
    ...overrides,
  });
  // An 'error' event nobody listens to would end the process. The worker adds its own logger;
  // until someone does, report it here, masked.
  boss.on('error', (error) => {
    if (boss.listenerCount('error') === 1) console.error(`pg-boss: ${maskAddressesIn(error.message)}`);
  });
  return boss;
}

/**
 * Creates the queue and its dead-letter queue, or brings their settings up to date. Safe to call
 * from every process at every start. `options` overrides the defaults (tests use short delays).
 */
export async function ensureQueues(boss: PgBoss, options: MailQueueOptions = {}): Promise<void> {
  await upsertQueue(boss, MAIL_DEAD_LETTER_QUEUE, { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
  const settings: QueueOptions = { ...DEFAULT_MAIL_QUEUE_OPTIONS, ...options };
  // pg-boss accepts a maximum delay only with backoff.
  if (!settings.retryBackoff) delete settings.retryDelayMax;
  await upsertQueue(boss, MAIL_QUEUE, { ...settings, deadLetter: MAIL_DEAD_LETTER_QUEUE, notify: true });
}

async function upsertQueue(
  boss: PgBoss,
  name: string,
  options: Omit<Queue, 'name' | 'partition' | 'policy'>,
) {
  // createQueue leaves an existing queue as it is; updateQueue then applies today's settings.
  await boss.createQueue(name, options);
  await boss.updateQueue(name, {
    ...options,
    retryDelayMax: options.retryDelayMax ?? null,
    heartbeatSeconds: options.heartbeatSeconds ?? null,
  });
}
