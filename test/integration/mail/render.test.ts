/**
 * Proof 6: every template renders text and HTML in Japanese and English from the real template
 * files, and no value can add markup to the HTML.
 */
import { describe, expect, test } from 'vitest';
import {
  MAIL_LANGS,
  MAIL_TEMPLATES,
  type MailLang,
  type MailTemplate,
  maskAddressesIn,
  parseMailJob,
} from '../../../src/mail/jobs.ts';
import { renderMail } from '../../../src/mail/render.ts';
import { describeFailure, messageIdFor } from '../../../src/mail/worker.ts';

const HELPDESK = { tel: '050-3786-3053', email: 'helpdesk@example.jp' };
const AT = '2023-05-31T09:10:00.000Z';
const EVIL = '<script>alert("x")</script>';

const data: Record<MailTemplate, Record<string, string>> = {
  registration: {
    userId: 'rchut63547',
    link: 'https://portal.example.jp/password/register?token=abc',
    expiresAt: AT,
  },
  registrationExisting: { link: 'https://portal.example.jp/', requestedAt: AT },
  passwordRegistered: { userId: 'rchut63547', changedAt: AT, link: 'https://portal.example.jp/' },
  emailChangedOld: {
    newEmail: 'new.address@example.com',
    changedAt: AT,
    link: 'https://portal.example.jp/email/restored?token=abc',
    expiresAt: AT,
    validDays: '7',
  },
  emailChangedNew: { userId: 'rchut63547', changedAt: AT },
  emailRestored: { restoredEmail: 'former.address@example.com', changedAt: AT },
  passwordChanged: { changedAt: AT },
  passwordReset: {
    userId: 'rchut63547',
    link: 'https://portal.example.jp/password/register?token=abc',
    expiresAt: AT,
    validMinutes: '30',
  },
};

/** Validates and renders a job to a fixed address, as the worker does. */
function render(template: MailTemplate, lang: MailLang, values: Record<string, string>) {
  return renderMail(parseMailJob({ template, lang, to: 'user01@ens-test.com', data: values }), HELPDESK);
}

const cases = MAIL_TEMPLATES.flatMap((template) => MAIL_LANGS.map((lang) => [template, lang] as const));

describe.each(cases)('%s (%s)', (template, lang) => {
  const mail = render(template, lang, { name: EVIL, ...data[template] });

  test('subject carries the system prefix of its language', () => {
    expect(mail.subject).toMatch(
      lang === 'ja' ? /^【在留申請オンラインシステム】\S/ : /^\[Online Residence Application System\] \S/,
    );
  });

  test('text and HTML render every value, the time in Japan time, and the Help Desk', () => {
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/undefined|null|NaN|\[object/);
      expect(body).toContain(HELPDESK.tel);
      expect(body).toContain(HELPDESK.email);
      for (const key of ['userId', 'link', 'validMinutes', 'validDays', 'restoredEmail'] as const) {
        const value = data[template][key];
        if (value) expect(body).toContain(value);
      }
      for (const key of ['changedAt', 'expiresAt', 'requestedAt']) {
        if (data[template][key]) expect(body).toContain('2023/05/31 18:10');
      }
    }
    expect(mail.text).toContain(EVIL);
    expect(mail.html).toMatch(new RegExp(`^<!DOCTYPE html>\\s*<html lang="${lang}">`));
  });

  test('the HTML escapes markup in values', () => {
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});

test('the reset mail says how long its link is valid', () => {
  expect(render('passwordReset', 'ja', data.passwordReset).text).toContain(
    'このURLの有効期間は30分間です。\n有効期限：2023/05/31 18:10（日本時間）',
  );
  expect(render('passwordReset', 'en', data.passwordReset).text).toContain(
    'valid for 30 minutes (until 2023/05/31 18:10, Japan time)',
  );
});

test('the notice to the old address masks the new one and tells the user to contact the Help Desk if it was not them', () => {
  const ja = render('emailChangedOld', 'ja', data.emailChangedOld);
  expect(ja.text).toContain(
    '第三者が認証IDを不正に使用しているおそれがあります。至急、下記のヘルプデスクまでお問い合わせください。',
  );
  const en = render('emailChangedOld', 'en', data.emailChangedOld);
  expect(en.text).toContain('New email address: n***@example.com');
  expect(en.text).not.toContain('new.address@example.com');
  expect(en.text).toContain('Please contact the Help Desk below immediately.');
});

test('the help-desk contact in the data overrides the configured one', () => {
  const mail = render('passwordChanged', 'en', {
    changedAt: AT,
    helpdeskTel: '03-0000-0000',
    helpdeskEmail: 'desk@example.org',
  });
  expect(mail.text).toContain('TEL: 03-0000-0000');
  expect(mail.html).toContain('E-MAIL: desk@example.org');
});

test('a value cannot forge lines in the text version', () => {
  const mail = render('passwordChanged', 'en', {
    name: 'A\r\n\r\nVisit https://evil.example',
    changedAt: AT,
  });
  expect(mail.text.split('\n')[0]).toBe('Dear A Visit https://evil.example,');
});

describe('job validation', () => {
  const valid = { template: 'passwordChanged', lang: 'ja', to: 'a@example.com', data: { changedAt: AT } };

  test('accepts a complete job', () => {
    expect(parseMailJob(valid)).toEqual(valid);
  });

  test.each([
    ['an unknown template', { ...valid, template: 'welcome' }],
    ['a bad address', { ...valid, to: 'not-an-address' }],
    ['an unknown language', { ...valid, lang: 'fr' }],
    ['missing required data', { ...valid, data: {} }],
    ['a password in the data', { ...valid, data: { changedAt: AT, password: 'Secret#123' } }],
    [
      'a non-http link',
      {
        ...valid,
        template: 'passwordRegistered',
        data: { userId: 'u', changedAt: AT, link: 'javascript:alert(1)' },
      },
    ],
    ['a bad timestamp', { ...valid, data: { changedAt: 'yesterday' } }],
  ])('rejects %s', (_, job) => {
    expect(() => parseMailJob(job)).toThrow(/Invalid mail job/);
  });

  test('names the offending field, never its value', () => {
    expect(() => parseMailJob({ ...valid, data: { changedAt: AT, password: 'Secret#123' } })).toThrow(
      /^Invalid mail job: data\.password: a notification never carries a secret$/,
    );
  });
});

test('Message-IDs come from the job id and the sender domain', () => {
  expect(messageIdFor('123e4567-e89b-12d3-a456-426614174000', '在留申請 <no-reply@ras-immi.moj.go.jp>')).toBe(
    '<job-123e4567-e89b-12d3-a456-426614174000@ras-immi.moj.go.jp>',
  );
  expect(messageIdFor('1', 'no-reply@localhost')).toBe('<job-1@localhost>');
});

test('failures are described without addresses', () => {
  const error = Object.assign(new Error("Can't send mail: 550 5.1.1 <taro.yamada@example.com>: unknown"), {
    code: 'EENVELOPE',
    responseCode: 550,
    command: 'RCPT TO:<taro.yamada@example.com>',
  });
  const described = JSON.stringify(describeFailure(error));
  expect(described).not.toContain('taro.yamada@example.com');
  expect(described).toContain('t***@example.com');
  expect(described).toContain('"command":"RCPT"');
  expect(maskAddressesIn('to user01@ens-test.com.')).toBe('to u***@ens-test.com.');
});
