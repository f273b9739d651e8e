/**
 * Renders a notification from `templates/mail/<template>.<lang>.txt.eta` and `.html.eta`.
 * HTML interpolations are escaped by Eta (autoEscape); every value is also flattened to one line,
 * so a value can neither add markup to the HTML nor forge paragraphs in the text.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { formatDateTime } from '../i18n/format.ts';
import { translate } from '../i18n/messages.ts';
import { type MailJob, type MailLang, type MailTemplate, maskAddress } from './jobs.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface HelpDesk {
  tel: string;
  email: string;
}

const SYSTEM_NAME: Record<MailLang, string> = {
  ja: '在留申請オンラインシステム',
  en: 'Online Residence Application System',
};

const SUBJECT_PREFIX: Record<MailLang, string> = {
  ja: `【${SYSTEM_NAME.ja}】`,
  en: `[${SYSTEM_NAME.en}] `,
};

export const SUBJECTS: Readonly<Record<MailTemplate, Record<MailLang, string>>> = {
  registration: { ja: '利用者登録受付のお知らせ', en: 'User registration received' },
  registrationExisting: {
    ja: '利用者登録手続のお知らせ',
    en: 'User registration requested for a registered email address',
  },
  passwordRegistered: { ja: 'パスワード登録完了のお知らせ', en: 'Password registration completed' },
  emailChangedOld: { ja: 'メールアドレス変更のお知らせ', en: 'Your email address has been changed' },
  emailRestored: {
    ja: 'メールアドレス変更取消しのお知らせ',
    en: 'Your email address change has been undone',
  },
  emailChangedNew: { ja: 'メールアドレス変更完了のお知らせ', en: 'Email address change completed' },
  passwordChanged: { ja: 'パスワード変更完了のお知らせ', en: 'Password change completed' },
  passwordReset: { ja: 'パスワード再設定のお知らせ', en: 'Password reset' },
};

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/mail/', import.meta.url));

const htmlEngine = new Eta({ views: TEMPLATE_DIR, autoEscape: true, cache: true });
const textEngine = new Eta({ views: TEMPLATE_DIR, autoEscape: false, autoTrim: false, cache: true });

function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** The values a template sees as `it`: formatted, one line each, never raw markup. */
function viewModel(job: MailJob, helpdesk: HelpDesk): Record<string, unknown> {
  const data = Object.fromEntries(Object.entries(job.data).map(([k, v]) => [k, oneLine(v)]));
  const lang = job.lang;
  const when = (key: string) => formatDateTime(data[key] ?? null);
  return {
    ...data,
    lang,
    subject: subjectOf(job.template, lang),
    system: SYSTEM_NAME[lang],
    // addressed by name as registered, else by the address it goes to (one reader, never "all users")
    name: data.name || job.to,
    /** The pages' own texts (the help desk), so a page and an email never word them apart. */
    t: (key: string) => translate(key, lang),
    changedAt: when('changedAt'),
    expiresAt: when('expiresAt'),
    requestedAt: when('requestedAt'),
    newEmail: data.newEmail ? maskAddress(data.newEmail) : '',
    helpdesk: { tel: data.helpdeskTel || helpdesk.tel, email: data.helpdeskEmail || helpdesk.email },
  };
}

export function subjectOf(template: MailTemplate, lang: MailLang): string {
  return `${SUBJECT_PREFIX[lang]}${SUBJECTS[template][lang]}`;
}

/** Renders subject, text and HTML of a (validated) job. */
export function renderMail(job: MailJob, helpdesk: HelpDesk): RenderedMail {
  const it = viewModel(job, helpdesk);
  const name = `./${job.template}.${job.lang}`;
  return {
    subject: subjectOf(job.template, job.lang),
    text: `${textEngine.render(`${name}.txt.eta`, it).trim()}\n`,
    html: htmlEngine.render(`${name}.html.eta`, it),
  };
}
