/**
 * Enqueues a notification inside the caller's transaction: the change and its email commit or
 * roll back together, so a rolled-back change never sends mail and a committed one always does.
 */
import type { PgBoss } from 'pg-boss';
import { MAIL_QUEUE, type MailJob, maskAddress, parseMailJob } from './jobs.ts';
import type { JobSeal } from './seal.ts';

/** The caller's transaction: a pg `PoolClient` after `BEGIN`, or anything with the same `query`. */
export interface TransactionClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * What a notification job stores: the template and the masked recipient for operators
 * (`npm run mail:dead`), the job itself sealed (see seal.ts).
 */
export interface StoredMailJob {
  template: MailJob['template'];
  maskedTo: string;
  sealed: string;
}

/** Validates the job, inserts it sealed through `db` and returns the job id. Throws on an invalid job. */
export async function enqueueMail(
  boss: PgBoss,
  seal: JobSeal,
  db: TransactionClient,
  job: MailJob,
): Promise<string> {
  const valid = parseMailJob(job);
  const stored: StoredMailJob = {
    template: valid.template,
    maskedTo: maskAddress(valid.to),
    sealed: seal.seal(MAIL_QUEUE, valid),
  };
  const id = await boss.send(MAIL_QUEUE, stored, {
    db: {
      executeSql: async (text, values) => {
        const result = await db.query(text, values);
        return { rows: result.rows as unknown[] as Record<string, unknown>[] };
      },
    },
  });
  if (!id) throw new Error(`pg-boss refused the ${valid.template} notification`);
  return id;
}

/** The notification a stored job carries; throws when it is not sealed with this key. */
export function openMailJob(seal: JobSeal, data: unknown): MailJob {
  const sealed = (data as Partial<StoredMailJob> | null)?.sealed;
  return parseMailJob(seal.open(MAIL_QUEUE, sealed));
}
