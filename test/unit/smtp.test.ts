import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

describe('test SMTP server', () => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });

  const transport = () => nodemailer.createTransport({ url: smtp.url, ignoreTLS: true });

  it('receives a Japanese multipart message sent by nodemailer, quoted-printable and Q-encoded subject decoded', async () => {
    const subject = '【在留申請オンラインシステム】パスワード再設定のお知らせ';
    const text = `山田 太郎 様\n\nパスワード再設定用のURLをお送りします。\n${'長い行'.repeat(40)}\nhttps://example.test/reset?token=abc=def`;
    const info = await transport().sendMail({
      from: '"在留申請" <no-reply@localhost>',
      to: 'taro@example.com',
      bcc: 'audit@example.com',
      subject,
      text,
      html: `<p>山田 太郎 様</p><p>${'長い行'.repeat(40)}</p>`,
      textEncoding: 'quoted-printable',
    });

    const mail = await smtp.waitFor((m) => m.messageId === info.messageId, 5000);
    expect(mail.subject).toBe(subject);
    expect(mail.text.replace(/\r\n/g, '\n')).toBe(text);
    expect(mail.html).toBe(`<p>山田 太郎 様</p><p>${'長い行'.repeat(40)}</p>`);
    expect(mail.from).toBe('no-reply@localhost');
    expect(mail.to).toEqual(['taro@example.com', 'audit@example.com']);
    expect(mail.raw).toContain('Subject: =?UTF-8?Q?');
    expect(mail.raw).toContain('Content-Transfer-Encoding: quoted-printable');
  });

  it('decodes a base64 text-only message with a B-encoded subject', async () => {
    const info = await transport().sendMail({
      from: 'no-reply@localhost',
      to: 'hanako@example.com',
      subject: 'Welcome to the Online Residence Application System — ようこそ',
      text: 'ご登録ありがとうございます。',
      textEncoding: 'base64',
    });
    const mail = await smtp.waitFor((m) => m.messageId === info.messageId, 5000);
    expect(mail.subject).toBe('Welcome to the Online Residence Application System — ようこそ');
    expect(mail.raw).toContain('Subject: =?UTF-8?B?');
    expect(mail.text.trim()).toBe('ご登録ありがとうございます。');
    expect(mail.html).toBeUndefined();
  });

  it('turns connections away while refusing, and accepts again after', async () => {
    smtp.refuse(true);
    await expect(
      transport().sendMail({ from: 'no-reply@localhost', to: 'x@example.com', subject: 's', text: 't' }),
    ).rejects.toThrow(/421/);
    smtp.refuse(false);
    const info = await transport().sendMail({
      from: 'no-reply@localhost',
      to: 'x@example.com',
      subject: 's',
      text: 't',
    });
    expect(info.accepted).toEqual(['x@example.com']);
  });

  it('rejects waitFor when no message matches in time', async () => {
    await expect(smtp.waitFor((m) => m.subject === 'never', 100)).rejects.toThrow(/no matching email/);
  });
});
