/**
 * The notification worker: takes jobs from the queue, renders them and hands them to SMTP.
 *
 * None lost: a job is completed only after the relay accepted the message; any failure leaves it
 * to pg-boss, which retries it with backoff and dead-letters it after the last attempt.
 * None doubled: each message is acknowledged (its job completed) the moment the relay accepts it,
 * not at the end of a batch, so a crash can repeat at most the messages in flight at that instant;
 * and every message's Message-ID is derived from the job, so a repeat is recognisable downstream.
 */
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { JobResult, JobWithMetadata, PgBoss } from 'pg-boss';
import { MAIL_QUEUE, type MailJob, maskAddress, maskAddressesIn } from './jobs.ts';
import { openMailJob } from './producer.ts';
import { type HelpDesk, renderMail } from './render.ts';
import type { JobSeal } from './seal.ts';

/** The subset of a pino / Fastify logger the worker uses. */
export interface MailLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailWorkerOptions {
  boss: PgBoss;
  smtpUrl: string;
  /** The sender, `MAIL_FROM`: `no-reply@example.jp` or `Name <no-reply@example.jp>`. */
  from: string;
  log: MailLog;
  /** Opens the sealed jobs: the key the web processes seal them with (from SESSION_SECRET). */
  seal: JobSeal;
  /** Help-desk contact printed in every message (HELPDESK_TEL / HELPDESK_EMAIL). */
  helpdesk: HelpDesk;
  /**
   * Messages in flight at once (SMTP connections). Default 1: a crash can then repeat at most one
   * message. Raise it for a relay with high per-message latency; a crash repeats at most this many.
   */
  concurrency?: number;
  /** Backstop polling when no NOTIFY arrives (retries falling due). Default 1 s. */
  pollingIntervalSeconds?: number;
}

export interface MailWorker {
  /** Stops fetching, waits for the messages in hand to be settled, closes the SMTP connections. */
  stop(): Promise<void>;
}

/** `<job-<id>@<host of MAIL_FROM>>`; a redriven dead letter keeps the id of its first job. */
export function messageIdFor(jobId: string, from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const address = first && 'address' in first ? (first.address ?? '') : '';
  const host = address.slice(address.lastIndexOf('@') + 1) || 'localhost';
  return `<job-${jobId}@${host}>`;
}

/** What is stored as a failed job's output and logged: codes and a masked reply, no personal data. */
export function describeFailure(err: unknown): Record<string, string | number> {
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
    message?: unknown;
  };
  const out: Record<string, string | number> = { name: typeof e.name === 'string' ? e.name : 'Error' };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.responseCode === 'number') out.responseCode = e.responseCode;
  if (typeof e.command === 'string') out.command = e.command.split(' ')[0] ?? '';
  if (typeof e.message === 'string') out.message = maskAddressesIn(e.message).slice(0, 300);
  return out;
}

/** Jobs fetched per lane at a time: fewer fetches, still well inside the job expiry. */
const BATCH_PER_LANE = 4;

export async function startMailWorker(options: MailWorkerOptions): Promise<MailWorker> {
  const { boss, from, log } = options;
  const concurrency = options.concurrency ?? 1;
  const { helpdesk } = options;
  const transport = nodemailer.createTransport({
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...parseConnectionUrl(options.smtpUrl),
    pool: true,
    maxConnections: concurrency,
  });

  async function deliver(job: JobWithMetadata<unknown>): Promise<JobResult> {
    const attempt = job.retryCount + 1;
    const context = { jobId: job.id, attempt };
    let mail: MailJob;
    let rendered: ReturnType<typeof renderMail>;
    try {
      mail = openMailJob(options.seal, job.data);
      rendered = renderMail(mail, helpdesk);
    } catch (err) {
      // Retrying cannot fix a job that does not open or render: straight to the dead-letter queue.
      const failure = describeFailure(err);
      log.error({ ...context, failure }, 'notification cannot be rendered');
      return { id: job.id, status: 'deadletter', output: failure };
    }
    const messageId = messageIdFor(job.sourceRootId ?? job.id, from);
    const logged = { ...context, template: mail.template, to: maskAddress(mail.to), messageId };
    try {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
        signal: job.signal,
      });
    } catch (err) {
      const failure = describeFailure(err);
      log.warn({ ...logged, failure }, 'notification not accepted by SMTP');
      return { id: job.id, status: 'failed', output: failure };
    }
    try {
      // The acknowledgement: from here on a crash cannot send this message again.
      await boss.complete(MAIL_QUEUE, { id: job.id, retryCount: job.retryCount }, { messageId });
    } catch (err) {
      log.error({ ...logged, failure: describeFailure(err) }, 'notification sent but not acknowledged');
    }
    log.info(logged, 'notification sent');
    return { id: job.id, status: 'completed', output: { messageId } };
  }

  /**
   * A batch is worked in `concurrency` lanes, each sending its messages one after another and
   * acknowledging each before the next: never more than `concurrency` messages are in the window
   * between SMTP acceptance and acknowledgement, which bounds what a crash can repeat.
   */
  async function work(jobs: JobWithMetadata<unknown>[]): Promise<JobResult[]> {
    const results: JobResult[] = [];
    let next = 0;
    const lane = async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) results.push(await deliver(job));
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
    return results;
  }

  await boss.work(
    MAIL_QUEUE,
    {
      batchSize: concurrency * BATCH_PER_LANE,
      includeMetadata: true,
      perJobResults: true,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      notifyPollingIntervalSeconds: Math.max(options.pollingIntervalSeconds ?? 1, 2),
    },
    work,
  );
  const onError = (error: Error) => log.error({ failure: describeFailure(error) }, 'pg-boss error');
  boss.on('error', onError);
  log.info({ queue: MAIL_QUEUE, concurrency }, 'notification worker started');

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        await boss.offWork(MAIL_QUEUE, { wait: true });
        boss.off('error', onError);
        transport.close();
        log.info({ queue: MAIL_QUEUE }, 'notification worker stopped');
      })();
      return stopping;
    },
  };
}
