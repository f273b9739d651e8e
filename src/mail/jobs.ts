/**
 * What a notification job carries: the template to render, the recipient, the language and the
 * values the template needs. One schema validates it when it is enqueued and again when the
 * worker picks it up, so a job that could never render never reaches SMTP.
 */
import { z } from 'zod';

/** The queue every notification goes to, and where it lands after its last failed attempt. */
export const MAIL_QUEUE = 'notifications';
export const MAIL_DEAD_LETTER_QUEUE = 'notifications.dead';

export const MAIL_TEMPLATES = [
  'registration',
  'registrationExisting',
  'passwordRegistered',
  'emailChangedOld',
  'emailChangedNew',
  'emailRestored',
  'passwordChanged',
  'passwordReset',
] as const;

export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export const MAIL_LANGS = ['ja', 'en'] as const;
export type MailLang = (typeof MAIL_LANGS)[number];

export interface MailJob {
  template: MailTemplate;
  to: string;
  lang: MailLang;
  data: Record<string, string>;
}

/**
 * The `data` keys each template needs. Timestamps (`changedAt`, `expiresAt`, `requestedAt`) are
 * ISO 8601 strings; the renderer shows them in Japan time. Optional everywhere: `name`, and
 * `helpdeskTel` / `helpdeskEmail` to override the configured help-desk contact.
 */
export const REQUIRED_DATA: Readonly<Record<MailTemplate, readonly string[]>> = {
  registration: ['userId', 'link', 'expiresAt'],
  registrationExisting: ['link', 'requestedAt'],
  passwordRegistered: ['userId', 'changedAt', 'link'],
  emailChangedOld: ['newEmail', 'changedAt', 'link', 'expiresAt', 'validDays'],
  emailChangedNew: ['userId', 'changedAt'],
  emailRestored: ['restoredEmail', 'changedAt'],
  passwordChanged: ['changedAt'],
  passwordReset: ['userId', 'link', 'expiresAt', 'validMinutes'],
};

const TIMESTAMP_KEYS = new Set(['changedAt', 'expiresAt', 'requestedAt']);
const LINK_KEYS = new Set(['link']);
/** A notification never carries a secret: refuse keys that look like one. */
const SECRET_KEY = /pass(word|wd|phrase)?$|secret|pin$/i;

export const mailJobSchema = z
  .object({
    template: z.enum(MAIL_TEMPLATES),
    to: z.email(),
    lang: z.enum(MAIL_LANGS),
    data: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/), z.string().max(2000)),
  })
  .strict()
  .superRefine((job, ctx) => {
    for (const key of REQUIRED_DATA[job.template]) {
      if (!job.data[key]) ctx.addIssue({ code: 'custom', path: ['data', key], message: 'required' });
    }
    for (const [key, value] of Object.entries(job.data)) {
      if (SECRET_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', key],
          message: 'a notification never carries a secret',
        });
      } else if (TIMESTAMP_KEYS.has(key) && Number.isNaN(Date.parse(value))) {
        ctx.addIssue({ code: 'custom', path: ['data', key], message: 'must be an ISO 8601 timestamp' });
      } else if (LINK_KEYS.has(key) && !/^https?:\/\//.test(value)) {
        ctx.addIssue({ code: 'custom', path: ['data', key], message: 'must be an absolute http(s) URL' });
      }
    }
  });

/** Validates a job; the error lists the offending paths only, never the values. */
export function parseMailJob(input: unknown): MailJob {
  const result = mailJobSchema.safeParse(input);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => `${issue.path.join('.') || '(job)'}: ${issue.message}`);
    throw new InvalidMailJobError(`Invalid mail job: ${paths.join('; ')}`);
  }
  return result.data;
}

export class InvalidMailJobError extends Error {
  override name = 'InvalidMailJobError';
}

/** `user01@ens-test.com` → `u***@ens-test.com`: enough to tell messages apart in a log, no more. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** Replaces every email address in free text (an SMTP reply, an error message) by its mask. */
export function maskAddressesIn(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[A-Za-z0-9.-]+/g, (match) => maskAddress(match));
}
