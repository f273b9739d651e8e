/**
 * A real SMTP server for tests, on 127.0.0.1 and a free port. The app sends to `url` as it would
 * to a relay; tests read what arrived from `messages` or wait for one with `waitFor`.
 *
 *   const smtp = await startSmtp();
 *   // … build the app with SMTP_URL = smtp.url, act …
 *   const mail = await smtp.waitFor((m) => m.to.includes('taro@example.com'));
 *   await smtp.close();
 */
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail } from './mime.ts';

export interface Message {
  /** The Message-ID header as sent, angle brackets included (as nodemailer's `info.messageId`). */
  messageId: string;
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO), so Bcc recipients are listed too. */
  to: string[];
  /** Decoded subject. */
  subject: string;
  /** Decoded text/plain body ('' when the message has none). */
  text: string;
  /** Decoded text/html body, when the message has one. */
  html?: string;
  /** Top-level headers, names in lower case, values as sent (encoded words not decoded). */
  headers: Record<string, string>;
  /** The message source as received. */
  raw: string;
  receivedAt: string;
}

export interface SmtpOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
}

export interface TestSmtp {
  url: string;
  port: number;
  /** Every message received, oldest first. Clear it with `messages.length = 0`. */
  messages: Message[];
  /** Resolves with the first message (already received or still to come) that matches. */
  waitFor(predicate: (message: Message) => boolean, timeoutMs?: number): Promise<Message>;
  /** While true, every new connection is turned away with `421`, as a relay that is down. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: Message[] = [];
  const arrivals = new EventEmitter();
  let refusing = false;

  const server = new SMTPServer({
    // The package's built-in certificate has expired: plain SMTP only.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      if (!refusing) return callback();
      callback(
        Object.assign(new Error('Service not available (refused by the test)'), { responseCode: 421 }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const parsed = parseMail(raw);
        const message: Message = {
          messageId: parsed.headers['message-id'] ?? '',
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: parsed.subject,
          text: parsed.text,
          ...(parsed.html === undefined ? {} : { html: parsed.html }),
          headers: parsed.headers,
          raw: raw.toString('utf8'),
          receivedAt: new Date().toISOString(),
        };
        messages.push(message);
        arrivals.emit('message', message);
        callback();
      });
    },
  });
  server.on('error', () => {
    // A client dropping its connection is no reason to fail a test.
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onMessage = (message: Message) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(message);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          const seen = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
          reject(new Error(`no matching email within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
    refuse(on) {
      refusing = on;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
