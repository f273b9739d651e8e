/**
 * Helpers for the browser tests. The server they drive (test/support/e2e-server.ts) sends its
 * email to a real SMTP server; these read what arrived.
 *
 *   const mail = await waitForMail((m) => m.to.includes('taro@example.com'));
 *   await page.goto(mail.text.match(/https?:\S+/)![0]);
 */
import { e2eMailPort } from '../support/e2e-settings.ts';
import type { Message } from '../support/smtp.ts';

export type { Message };

const mailApi = `http://127.0.0.1:${e2eMailPort}`;

async function call(method: string, path: string): Promise<unknown> {
  const response = await fetch(`${mailApi}${path}`, { method });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

/** Every email received since the server started (or the last `clearMailbox`), oldest first. */
export async function mailbox(): Promise<Message[]> {
  return (await call('GET', '/messages')) as Message[];
}

/** Forgets the emails received so far. */
export async function clearMailbox(): Promise<void> {
  await call('DELETE', '/messages');
}

/** While on, the SMTP server turns the app's connections away (a relay that is down). */
export async function refuseMail(on: boolean): Promise<void> {
  await call('PUT', `/refuse/${on ? 'on' : 'off'}`);
}

/** Resolves with the first email that matches, polling until `timeoutMs`. */
export async function waitForMail(
  predicate: (message: Message) => boolean,
  timeoutMs = 15_000,
): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await mailbox();
    const found = messages.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
      throw new Error(`no matching email within ${timeoutMs} ms (received: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
