/**
 * Test-speed settings shared by the mail tests and their child worker process (which must not
 * import vitest, hence a file of their own).
 */
import type { ConstructorOptions } from 'pg-boss';
import type { MailQueueOptions } from '../../../src/mail/queue.ts';
import { jobSeal } from '../../../src/mail/seal.ts';

export const FROM = 'Zairyu <no-reply@ras-immi.example.jp>';
export const HELPDESK = { tel: '050-0000-0000', email: 'helpdesk@example.jp' };

/** The key the mail tests and their child worker seal and open jobs with (a test value, not a secret). */
export const SEAL = jobSeal('the mail tests seal their jobs with this');

/** Retries in seconds rather than minutes; a dead worker's jobs come back after 10 s. */
export const FAST_QUEUE: MailQueueOptions = {
  retryLimit: 8,
  retryDelay: 1,
  retryBackoff: true,
  retryDelayMax: 2,
  heartbeatSeconds: 10,
};

/** Supervision every second, so expired heartbeats are noticed at once. */
export const FAST_BOSS: Partial<ConstructorOptions> = {
  superviseIntervalSeconds: 1,
  monitorIntervalSeconds: 1,
  queueCacheIntervalSeconds: 1,
};
