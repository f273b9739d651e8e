/**
 * Registration and password-reset requests, handled off the request path.
 *
 * Whether a user ID or email exists must not show in the answer, neither in its bytes nor in its
 * time (no account enumeration). So the request only queues the request, the same work whatever
 * it names, in one transaction with nothing else; a worker then checks the data, creates the user
 * or issues the link, and queues the email. Each job's effects commit once: the job id is
 * recorded in the same transaction, so a retry after a crash finds it done.
 */
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { type FormValues, sessionMachine } from '../../machines/session.ts';
import { baseUrl, type Config } from '../config.ts';
import { recordAudit } from '../db/audit.ts';
import { inTransaction, type Queryable } from '../db/pool.ts';
import { issueToken } from '../db/tokens.ts';
import { emailInUse, findUserByUserId, insertUser, type UserRow } from '../db/users.ts';
import { generateUserId } from '../domain/rules.ts';
import { emailedLinkUrl, indexPages } from '../flow/pages.ts';
import type { Lang } from '../i18n/lang.ts';
import type { MailJob } from './jobs.ts';
import { enqueueMail } from './producer.ts';
import type { JobSeal } from './seal.ts';

export const ACCOUNT_QUEUE = 'account-requests';

export type AccountRequest =
  | { kind: 'register'; values: FormValues; lang: Lang; ip: string }
  | { kind: 'reset'; userId: string; email: string; lang: Lang; ip: string };

interface Log {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A handled request is needed no longer: its (sealed) row goes within the hour. */
const ACCOUNT_QUEUE_OPTIONS = {
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  expireInSeconds: 60,
  deleteAfterSeconds: 3600,
};

export async function ensureAccountQueue(boss: PgBoss): Promise<void> {
  // createQueue leaves an existing queue as it is; updateQueue then applies today's settings.
  await boss.createQueue(ACCOUNT_QUEUE, ACCOUNT_QUEUE_OPTIONS);
  await boss.updateQueue(ACCOUNT_QUEUE, ACCOUNT_QUEUE_OPTIONS);
}

/** What a request job stores: its kind, and the request (personal data, an IP) sealed. */
interface StoredAccountRequest {
  kind: AccountRequest['kind'];
  sealed: string;
}

/** Queues a request, sealed (see mail/seal.ts), inside the caller's transaction (or on its own with the pool). */
export async function enqueueAccountRequest(
  boss: PgBoss,
  seal: JobSeal,
  db: Queryable,
  request: AccountRequest,
): Promise<void> {
  const stored: StoredAccountRequest = { kind: request.kind, sealed: seal.seal(ACCOUNT_QUEUE, request) };
  await boss.send(ACCOUNT_QUEUE, stored, {
    db: { executeSql: (text: string, values: unknown[]) => db.query(text, values) },
  });
}

export function openAccountRequest(seal: JobSeal, data: unknown): AccountRequest {
  return seal.open(ACCOUNT_QUEUE, (data as Partial<StoredAccountRequest> | null)?.sealed) as AccountRequest;
}

/** Arbitrary but fixed: the advisory lock class of "a registration for this address is being handled". */
const EMAIL_LOCK = 7_351_003;

/**
 * Counts one more email to `address` in this clock hour (and forgets counts older than a day);
 * answers whether it is within `cap`. Atomic, so two workers cannot both take the last one.
 */
async function withinRecipientCap(db: Queryable, address: string, cap: number): Promise<boolean> {
  const { rows } = await db.query<{ sent: number }>(
    `WITH forgotten AS (DELETE FROM mail_recipient_counts WHERE hour < now() - interval '1 day')
     INSERT INTO mail_recipient_counts (recipient_hash, hour, sent)
     VALUES (sha256(convert_to(lower($1), 'UTF8')), date_trunc('hour', now()), 1)
     ON CONFLICT (recipient_hash, hour) DO UPDATE SET sent = mail_recipient_counts.sent + 1
     RETURNING sent`,
    [address],
  );
  return (rows[0]?.sent ?? 0) <= cap;
}

function isoIn(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

interface HandlerDeps {
  config: Config;
  pool: pg.Pool;
  boss: PgBoss;
  /** Opens the requests and seals the notifications they queue. */
  seal: JobSeal;
}

export function createAccountRequestHandler(deps: HandlerDeps) {
  const { config, pool, boss, seal } = deps;
  const mail = (db: Queryable, job: MailJob) => enqueueMail(boss, seal, db, job);
  // the link opens the page whose `meta` names the entry event
  const pages = indexPages(sessionMachine);
  const link = (token: string) => emailedLinkUrl(pages, 'OPEN_LINK', token, baseUrl(config));

  async function insertWithFreshUserId(db: Queryable, values: FormValues, lang: Lang): Promise<UserRow> {
    for (;;) {
      const user = await insertUser(db, {
        user_id: generateUserId(),
        name: values.name ?? '',
        sex: values.sex === 'female' ? 'female' : 'male',
        birth_date: values.birthDate ?? '',
        municipality_code: values.municipalityCode ?? '',
        street: values.street ?? '',
        phone: values.phone ?? '',
        email: values.email ?? '',
        lang,
      });
      if (user) return user;
    }
  }

  /**
   * An address already registered gets a notice instead of a second account. Requests for one
   * address are handled one at a time (a transaction-scoped lock), so two workers cannot both find
   * it free; the unique index on the address is the backstop. Past the hourly cap per recipient the
   * request is dropped unanswered, as the visitor's page never says what happened.
   */
  async function register(
    db: Queryable,
    { values, lang, ip }: Extract<AccountRequest, { kind: 'register' }>,
  ) {
    const email = values.email ?? '';
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))', [EMAIL_LOCK, email]);
    if (!(await withinRecipientCap(db, email, config.MAIL_PER_RECIPIENT_PER_HOUR))) {
      const detail = { reason: 'recipient cap' };
      await recordAudit(db, { kind: 'registration', outcome: 'failure', ip, detail });
      return;
    }
    if (await emailInUse(db, email)) {
      const data = { link: `${baseUrl(config)}/`, requestedAt: new Date().toISOString() };
      await mail(db, { template: 'registrationExisting', to: email, lang, data });
      await recordAudit(db, {
        kind: 'registration',
        outcome: 'failure',
        ip,
        detail: { reason: 'email in use' },
      });
      return;
    }
    const user = await insertWithFreshUserId(db, values, lang);
    await recordAudit(db, { kind: 'registration', outcome: 'success', userRef: user.id, ip });
    const minutes = config.REGISTRATION_LINK_HOURS * 60;
    const token = await issueToken(db, user.id, 'register', minutes);
    await mail(db, {
      template: 'registration',
      to: email,
      lang,
      data: { name: user.name, userId: user.user_id, link: link(token), expiresAt: isoIn(minutes) },
    });
  }

  /** Only a matching user ID and email get the link (2.5.3). */
  async function reset(
    db: Queryable,
    { userId, email, lang, ip }: Extract<AccountRequest, { kind: 'reset' }>,
  ) {
    const user = await findUserByUserId(db, userId);
    const matched = user !== undefined && user.email.toLowerCase() === email.toLowerCase();
    const capped = matched && !(await withinRecipientCap(db, email, config.MAIL_PER_RECIPIENT_PER_HOUR));
    await recordAudit(db, {
      kind: 'password_reset_request',
      outcome: matched && !capped ? 'success' : 'failure',
      userRef: user?.id,
      ip,
      detail: capped ? { reason: 'recipient cap' } : {},
    });
    if (!matched || capped) return;
    const minutes = config.RESET_LINK_MINUTES;
    const token = await issueToken(db, user.id, 'reset', minutes);
    await mail(db, {
      template: 'passwordReset',
      to: user.email,
      lang,
      data: {
        name: user.name,
        userId: user.user_id,
        link: link(token),
        expiresAt: isoIn(minutes),
        validMinutes: String(minutes),
      },
    });
  }

  /** Handles one job exactly once: its id is recorded with its effects. */
  return async function handle(jobId: string, request: AccountRequest): Promise<void> {
    await inTransaction(pool, async (db) => {
      const { rowCount } = await db.query(
        'INSERT INTO processed_account_requests (job_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [jobId],
      );
      if (rowCount === 0) return;
      if (request.kind === 'register') await register(db, request);
      else await reset(db, request);
    });
  };
}

export async function startAccountRequestWorker(
  deps: HandlerDeps & { log: Log; pollingIntervalSeconds?: number },
): Promise<{ stop(): Promise<void> }> {
  await ensureAccountQueue(deps.boss);
  const handle = createAccountRequestHandler(deps);
  const options = { batchSize: 5, pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 1 };
  const workerId = await deps.boss.work(ACCOUNT_QUEUE, options, async (jobs) => {
    for (const job of jobs) await handle(job.id, openAccountRequest(deps.seal, job.data));
  });
  deps.log.info({ queue: ACCOUNT_QUEUE }, 'account request worker started');
  return {
    async stop() {
      await deps.boss.offWork(ACCOUNT_QUEUE, { id: workerId, wait: true });
    },
  };
}
