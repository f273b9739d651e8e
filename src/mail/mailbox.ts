/**
 * `/dev/mailbox`: the messages the development SMTP catcher received, so registration and reset
 * links can be followed without a mail server. Registered only in development with the catcher,
 * never in production (the plugin refuses to load there). The links in it set passwords, so it
 * answers as the operator pages do: loopback clients, or the operator token when one is set.
 *
 * Pages are plain semantic HTML without scripts or styles. A message's own HTML is served apart,
 * at `/dev/mailbox/:id/html`, under a CSP that sandboxes it and allows nothing to load or run,
 * and shown in a sandboxed iframe.
 */

import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { operatorOnly } from '../ops/operator.ts';
import type { CaughtMail } from './catcher.ts';

export interface MailboxOptions {
  catcher: { messages(): CaughtMail[] };
  /** As the operator pages: this bearer token, or loopback clients only when there is none. */
  operatorToken?: string;
  /** `NODE_ENV` as the config has it: the mailbox refuses to load in production. */
  environment: Config['NODE_ENV'];
}

const PAGE_CSP =
  "default-src 'none'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MESSAGE_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Escapes text and turns each http(s) URL in it into a link. */
function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"']+)/g)
    .map((piece, i) =>
      i % 2 === 1 ? `<a href="${escapeHtml(piece)}">${escapeHtml(piece)}</a>` : escapeHtml(piece),
    )
    .join('');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
</head>
<body>
${body}
</body>
</html>
`;
}

function send(reply: FastifyReply, html: string, csp = PAGE_CSP): FastifyReply {
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', csp)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

function listPage(messages: CaughtMail[]): string {
  const rows = messages
    .map(
      (m) => `<tr>
<td><time datetime="${escapeHtml(m.date)}">${escapeHtml(m.date)}</time></td>
<td>${escapeHtml(m.to.join(', '))}</td>
<td><a href="/dev/mailbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(no subject)')}</a></td>
</tr>`,
    )
    .join('\n');
  return page(
    'Development mailbox',
    `<h1>Development mailbox</h1>
<p>Messages caught by the in-process SMTP catcher, newest first (the last 500 are kept in memory).
This page exists only in development, when SMTP_URL is not set.</p>
${
  messages.length === 0
    ? '<p>No messages yet.</p>'
    : `<table>
<thead><tr><th scope="col">Date</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`,
  );
}

function messagePage(m: CaughtMail): string {
  const htmlUrl = `/dev/mailbox/${encodeURIComponent(m.id)}/html`;
  return page(
    m.subject || 'Message',
    `<p><a href="/dev/mailbox">Back to the mailbox</a></p>
<h1>${escapeHtml(m.subject || '(no subject)')}</h1>
<dl>
<dt>From</dt><dd>${escapeHtml(m.from)}</dd>
<dt>To</dt><dd>${escapeHtml(m.to.join(', '))}</dd>
<dt>Date</dt><dd><time datetime="${escapeHtml(m.date)}">${escapeHtml(m.date)}</time></dd>
<dt>Message-ID</dt><dd><code>${escapeHtml(m.messageId)}</code></dd>
</dl>
<h2>Text</h2>
<pre>${linkify(m.text)}</pre>
${
  m.html === undefined
    ? '<p>This message has no HTML version.</p>'
    : `<h2>HTML</h2>
<p><a href="${htmlUrl}">Open the HTML version on its own</a></p>
<iframe sandbox src="${htmlUrl}" title="HTML version of the message" width="800" height="600"></iframe>`
}`,
  );
}

async function mailbox(
  app: FastifyInstance,
  { catcher, operatorToken, environment }: MailboxOptions,
): Promise<void> {
  if (environment === 'production') {
    throw new Error('/dev/mailbox is a development tool and is never served in production');
  }
  const find = (id: string) => catcher.messages().find((m) => m.id === id);
  const notFound = (reply: FastifyReply) =>
    send(
      reply.code(404),
      page('Not found', '<h1>No such message</h1><p><a href="/dev/mailbox">Back to the mailbox</a></p>'),
    );

  const guarded = { onRequest: operatorOnly(operatorToken) };
  app.get('/dev/mailbox', guarded, async (_request, reply) => send(reply, listPage(catcher.messages())));

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', guarded, async (request, reply) => {
    const message = find(request.params.id);
    return message ? send(reply, messagePage(message)) : notFound(reply);
  });

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id/html', guarded, async (request, reply) => {
    const message = find(request.params.id);
    if (message?.html === undefined) return notFound(reply);
    return send(reply.header('X-Frame-Options', 'SAMEORIGIN'), message.html, MESSAGE_CSP);
  });
}

export default fp(mailbox, { name: 'dev-mailbox', fastify: '5.x' });
