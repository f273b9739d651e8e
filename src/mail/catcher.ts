/**
 * The development SMTP catcher: when SMTP_URL is unset (never in production) the worker sends to
 * this in-process server, which keeps the last 500 messages for `/dev/mailbox` to show.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: string;
  /** The From header, decoded. */
  from: string;
  /** Envelope recipients. */
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** The Message-ID header, angle brackets included. */
  messageId: string;
  /** The Date header as an ISO timestamp (the time of receipt when it is missing or unreadable). */
  date: string;
}

export interface Catcher {
  /** `smtp://127.0.0.1:<port>`, for the worker's transport. */
  url: string;
  /** The messages kept, newest first. */
  messages(): CaughtMail[];
  close(): Promise<void>;
}

const KEEP = 500;
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export async function startCatcher(): Promise<Catcher> {
  const kept: CaughtMail[] = [];
  const server = new SMTPServer({
    // smtp-server's bundled certificate has expired, and this never leaves 127.0.0.1.
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const mail = parseMessage(Buffer.concat(chunks));
        kept.unshift({
          id: randomUUID(),
          from: mail.headers.from ?? '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: mail.headers.subject ?? '',
          text: mail.text,
          ...(mail.html === undefined ? {} : { html: mail.html }),
          messageId: mail.headers['message-id'] ?? '',
          date: toIso(mail.headers.date),
        });
        kept.length = Math.min(kept.length, KEEP);
        callback();
      });
    },
  });
  server.on('error', () => {
    // A client that drops its connection is not the catcher's problem.
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => [...kept],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toIso(date: string | undefined): string {
  const parsed = date ? new Date(date) : new Date();
  return Number.isNaN(parsed.getTime()) ? new Date().toISOString() : parsed.toISOString();
}

// --- A small MIME reader: enough for what nodemailer writes (RFC 2045–2047). ---

interface Part {
  /** Lower-case names; header values with encoded words decoded. */
  headers: Record<string, string>;
  text: string;
  html?: string;
}

/** Reads headers and the first text/plain and text/html bodies of a message. */
export function parseMessage(raw: Buffer): Part {
  const out: Part = { headers: {}, text: '' };
  walk(raw.toString('latin1'), out, true);
  return out;
}

function walk(entity: string, out: Part, top: boolean): void {
  const split = entity.search(/\r?\n\r?\n/);
  const head = split < 0 ? entity : entity.slice(0, split);
  const body = split < 0 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = readHeaders(head);
  if (top) out.headers = headers;
  const [type = 'text/plain', ...params] = (headers['content-type'] ?? 'text/plain').split(';');
  const param = (name: string) =>
    params
      .map((p) => p.trim().match(/^([^=]+)=(.*)$/))
      .find((m) => m?.[1]?.toLowerCase() === name)?.[2]
      ?.replace(/^"|"$/g, '');
  const mediaType = type.trim().toLowerCase();
  const boundary = param('boundary');
  if (mediaType.startsWith('multipart/') && boundary) {
    const sections = body.split(new RegExp(`^--${escapeRegExp(boundary)}(?:--)?[ \\t]*\\r?$`, 'm'));
    for (const section of sections.slice(1, -1)) walk(section.replace(/^\r?\n|\r?\n$/g, ''), out, false);
    return;
  }
  if ((headers['content-disposition'] ?? '').toLowerCase().startsWith('attachment')) return;
  const decoded = charsetDecode(transferDecode(body, headers['content-transfer-encoding']), param('charset'));
  if (mediaType === 'text/plain' && !out.text) out.text = decoded;
  if (mediaType === 'text/html' && out.html === undefined) out.html = decoded;
}

function readHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const lines = Buffer.from(head, 'latin1')
    .toString('utf8')
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] ??= decodeWords(line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047: `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`; adjacent words are joined before decoding. */
function decodeWords(value: string): string {
  return value.replace(/(\?=)\s+(=\?)/g, '$1$2').replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    let charset = 'utf-8';
    const bytes = [...run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)].map(
      ([, cs = '', enc = '', text = '']) => {
        charset = cs;
        return enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text.replace(/_/g, ' '));
      },
    );
    return charsetDecode(Buffer.concat(bytes), charset);
  });
}

function transferDecode(body: string, encoding = ''): Buffer {
  const kind = encoding.trim().toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (kind === 'quoted-printable') return qpBytes(body.replace(/=\r?\n/g, ''));
  return Buffer.from(body, 'latin1');
}

function qpBytes(text: string): Buffer {
  const latin1 = text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return Buffer.from(latin1, 'latin1');
}

function charsetDecode(bytes: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
