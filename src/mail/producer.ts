/**
 * Enqueues a notification inside the caller's transaction: the change and its email commit or
 * roll back together, so a rolled-back change never sends mail and a committed one always does.
 */
import type { PgBoss } from 'pg-boss';
import { MAIL_QUEUE, type MailJob, parseMailJob } from './jobs.ts';

/** The caller's transaction: a pg `PoolClient` after `BEGIN`, or anything with the same `query`. */
export interface TransactionClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Validates the job, inserts it through `db` and returns the job id. Throws on an invalid job. */
export async function enqueueMail(boss: PgBoss, db: TransactionClient, job: MailJob): Promise<string> {
  const valid = parseMailJob(job);
  const id = await boss.send(MAIL_QUEUE, valid, {
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
