/**
 * The development catcher and /dev/mailbox: a rendered notification sent over SMTP to the catcher
 * is listed, readable as text with clickable links, and its HTML is served sandboxed.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Catcher, startCatcher } from '../../../src/mail/catcher.ts';
import mailbox from '../../../src/mail/mailbox.ts';
import { renderMail } from '../../../src/mail/render.ts';
import { FROM, HELPDESK } from './settings.ts';

let catcher: Catcher;
let app: FastifyInstance;

beforeAll(async () => {
  catcher = await startCatcher();
  app = Fastify();
  await app.register(mailbox, { catcher, environment: 'test' });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await catcher?.close();
});

async function send(to: string, name: string) {
  const mail = renderMail(
    {
      template: 'passwordReset',
      lang: 'ja',
      to,
      data: {
        name,
        userId: 'rchut63547',
        link: 'https://portal.example.jp/password/register?token=a&b=1',
        expiresAt: '2023-05-31T09:10:00Z',
        validMinutes: '30',
      },
    },
    HELPDESK,
  );
  const transport = nodemailer.createTransport(catcher.url);
  await transport.sendMail({ from: FROM, to, ...mail, messageId: '<job-1@ras-immi.example.jp>' });
  transport.close();
  return mail;
}

test('the catcher keeps parsed messages, newest first', async () => {
  const first = await send('first@example.com', '山田 太郎');
  await send('second@example.com', 'TEST MADOGUCHI');
  const [newest, older] = catcher.messages();
  expect(newest?.to).toEqual(['second@example.com']);
  expect(older).toMatchObject({
    to: ['first@example.com'],
    from: FROM,
    subject: first.subject,
    text: first.text,
    html: first.html,
    messageId: '<job-1@ras-immi.example.jp>',
  });
  expect(Number.isNaN(Date.parse(older?.date ?? ''))).toBe(false);
});

test('/dev/mailbox lists messages and shows one with clickable links and a sandboxed HTML view', async () => {
  await send('third@example.com', '<img src=x onerror=alert(1)>');
  const list = await app.inject('/dev/mailbox');
  expect(list.statusCode).toBe(200);
  expect(list.headers['cache-control']).toBe('no-store');
  expect(list.headers['content-security-policy']).toContain("default-src 'none'");
  const [newest] = catcher.messages();
  expect(list.body).toContain(`href="/dev/mailbox/${newest?.id}"`);
  expect(list.body).toContain('【在留申請オンラインシステム】パスワード再設定のお知らせ');
  expect(list.body).not.toMatch(/<script|style=/);

  const page = await app.inject(`/dev/mailbox/${newest?.id}`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(
    '<a href="https://portal.example.jp/password/register?token=a&amp;b=1">https://portal.example.jp/password/register?token=a&amp;b=1</a>',
  );
  expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt; 様');
  expect(page.body).toContain(`<iframe sandbox src="/dev/mailbox/${newest?.id}/html"`);
  expect(page.body).not.toContain('<img');

  const html = await app.inject(`/dev/mailbox/${newest?.id}/html`);
  expect(html.statusCode).toBe(200);
  expect(html.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  expect(html.body).toBe(newest?.html);

  expect((await app.inject('/dev/mailbox/nope')).statusCode).toBe(404);
  expect((await app.inject('/dev/mailbox/nope/html')).statusCode).toBe(404);
});

test('the mailbox refuses to load in production', async () => {
  const prod = Fastify();
  await expect(prod.register(mailbox, { catcher, environment: 'production' }).ready()).rejects.toThrow(
    /never served in production/,
  );
});

test('the mailbox answers loopback clients only, or the operator token when one is set', async () => {
  const [newest] = catcher.messages();
  for (const url of ['/dev/mailbox', `/dev/mailbox/${newest?.id}`, `/dev/mailbox/${newest?.id}/html`]) {
    expect((await app.inject({ url, remoteAddress: '192.0.2.10' })).statusCode, url).toBe(401);
  }
  const guarded = Fastify();
  await guarded.register(mailbox, {
    catcher,
    operatorToken: 'operator-token-0123456789',
    environment: 'test',
  });
  try {
    expect((await guarded.inject('/dev/mailbox')).statusCode).toBe(401);
    const ok = await guarded.inject({
      url: '/dev/mailbox',
      remoteAddress: '192.0.2.10',
      headers: { authorization: 'Bearer operator-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
  } finally {
    await guarded.close();
  }
});
