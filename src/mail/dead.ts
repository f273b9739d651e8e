/**
 * `npm run mail:dead`: notifications that failed every attempt.
 *
 *   npm run mail:dead                      list them
 *   npm run mail:dead -- --retry <id>      send one again (its id in the list)
 *   npm run mail:dead -- --retry all       send all of them again
 *
 * A re-driven message keeps its Message-ID (derived from the first job of its chain).
 * Addresses are shown masked, errors as stored by the worker (codes and masked replies).
 */
import type { PgBoss } from 'pg-boss';
import { loadConfig } from '../config.ts';
import { MAIL_DEAD_LETTER_QUEUE, MAIL_QUEUE, maskAddressesIn } from './jobs.ts';
import { createBoss } from './queue.ts';

export interface DeadLetter {
  id: string;
  deadSince: Date;
  template: string;
  to: string;
  attempts: number;
  lastError: string;
}

function describeOutput(output: unknown): string {
  if (!output || typeof output !== 'object') return '';
  const o = output as Record<string, unknown>;
  const parts = [o.code, o.responseCode, o.command, o.message].filter((p) => p !== undefined && p !== '');
  return maskAddressesIn(parts.map(String).join(' ')).slice(0, 200);
}

export async function listDeadLetters(boss: PgBoss): Promise<DeadLetter[]> {
  const jobs = await boss.findJobs<Record<string, unknown>>(MAIL_DEAD_LETTER_QUEUE, { queued: true });
  return jobs.map((job) => ({
    id: job.id,
    deadSince: job.createdOn,
    template: typeof job.data?.template === 'string' ? job.data.template : '?',
    to: typeof job.data?.maskedTo === 'string' ? job.data.maskedTo : '?',
    attempts: (job.sourceRetryCount ?? 0) + 1,
    lastError: describeOutput(job.sourceOutput),
  }));
}

/** Moves dead letters back to the notification queue; returns how many were moved. */
export async function redriveDeadLetters(boss: PgBoss, which: string): Promise<number> {
  if (which !== 'all') return boss.redrive(MAIL_DEAD_LETTER_QUEUE, { ids: [which], destination: MAIL_QUEUE });
  let moved = 0;
  for (;;) {
    const batch = await boss.redrive(MAIL_DEAD_LETTER_QUEUE, { destination: MAIL_QUEUE, limit: 1000 });
    moved += batch;
    if (batch < 1000) return moved;
  }
}

function table(rows: DeadLetter[]): string {
  if (rows.length === 0) return 'No dead-lettered notifications.';
  const lines = rows.map((r) =>
    [r.id, r.deadSince.toISOString(), r.template, r.to, String(r.attempts), r.lastError].join('  '),
  );
  return [
    `${rows.length} dead-lettered notification(s): id  dead since  template  to  attempts  last error`,
    ...lines,
  ].join('\n');
}

const USAGE = 'usage: npm run mail:dead [-- --retry <id|all>] [--schema <pg-boss schema>]';

export async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const at = argv.indexOf(name);
    return at < 0 ? undefined : (argv[at + 1] ?? '');
  };
  const retry = arg('--retry');
  const schema = arg('--schema');
  if (
    retry === '' ||
    schema === '' ||
    argv.some((a) => a.startsWith('--') && a !== '--retry' && a !== '--schema')
  ) {
    console.error(USAGE);
    return 2;
  }
  if (retry !== undefined && retry !== 'all' && !/^[0-9a-f-]{36}$/i.test(retry)) {
    console.error(`not a job id: ${retry}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error('DATABASE_URL is required: the dead letters live in the database the workers use.');
    return 2;
  }
  // A short-lived client: no maintenance, no schedules, no listener.
  const boss = createBoss(config.DATABASE_URL, {
    supervise: false,
    schedule: false,
    useListenNotify: false,
    max: 2,
    ...(schema ? { schema } : {}),
  });
  await boss.start();
  try {
    if (retry === undefined) {
      console.log(table(await listDeadLetters(boss)));
      return 0;
    }
    const moved = await redriveDeadLetters(boss, retry);
    console.log(`${moved} notification(s) moved back to ${MAIL_QUEUE}.`);
    return retry === 'all' || moved === 1 ? 0 : 1;
  } finally {
    await boss.stop({ graceful: false });
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(maskAddressesIn(error.message));
      process.exit(1);
    },
  );
}
