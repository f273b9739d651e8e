/**
 * The steps the browser tests share, so no spec writes them twice:
 * - `Tour`: one browser tab in one language — press a page's button by its label and wait for the
 *   next page, check which page state of the machine the browser is on, fill a form, use the
 *   address Search picker;
 * - accounts: an applicant to register, an account made over HTTP (for tests that need a user but
 *   are not about registering), logging in;
 * - the emails: the user ID and the link in them;
 * - `test`: Playwright's test with `shortIdle`, a second e2e server whose sessions time out after
 *   a few seconds, for the timeout tests (the real server's Redis TTL, not a simulated one).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  test as base,
  expect,
  type Locator,
  type Page,
  request,
} from '@playwright/test';
import type { Redis } from 'ioredis';
import { sessionMachine } from '../../machines/session.ts';
import { municipality, prefecture } from '../../src/domain/address.ts';
import { indexPages, type PageState } from '../../src/flow/pages.ts';
import { errorMessage } from '../../src/i18n/errors.ts';
import { translate } from '../../src/i18n/messages.ts';
import type { MailTemplate } from '../../src/mail/jobs.ts';
import { subjectOf } from '../../src/mail/render.ts';
import { e2eMailPort, e2ePort } from '../support/e2e-settings.ts';
import { type Message, waitForMail } from './support.ts';

export const langs = ['ja', 'en'] as const;
export type Lang = (typeof langs)[number];

/** The page states of the session machine, by state path (`signedIn.menu`). */
export const pageIndex = indexPages(sessionMachine);

export function pageAt(path: string): PageState {
  const page = pageIndex.byPath.get(path);
  if (!page) throw new Error(`no page state ${path} in the machine`);
  return page;
}

// ---------------------------------------------------------------------------------------------
// Servers

/** A running e2e server: where the app listens and how to read the mail it sent. */
export interface Server {
  baseURL: string;
  mail(predicate: (message: Message) => boolean): Promise<Message>;
}

/** The server Playwright starts for every test (playwright.config.ts). */
export const mainServer: Server = { baseURL: `http://127.0.0.1:${e2ePort}`, mail: waitForMail };

/** Idle timeout of the `shortIdle` server, in seconds: its timeout warning shows at once. */
export const shortIdleSeconds = 10;

async function mailAt(port: number, predicate: (message: Message) => boolean): Promise<Message> {
  let found: Message | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/messages`);
        found = ((await response.json()) as Message[]).find(predicate);
        return found !== undefined;
      },
      { timeout: 15_000, message: `an email on the mailbox at port ${port}` },
    )
    .toBe(true);
  return found as Message;
}

/**
 * Starts test/support/e2e-server.ts once more, with SESSION_IDLE_SECONDS set, on ports of its own
 * (ten above the main server's, two per parallel worker) and resolves once it answers.
 */
async function startShortIdleServer(slot: number): Promise<Server & { stop(): Promise<void> }> {
  const port = e2ePort + 10 + 2 * slot;
  const mailPort = e2eMailPort + 10 + 2 * slot;
  const child: ChildProcess = spawn(process.execPath, ['test/support/e2e-server.ts'], {
    env: {
      ...process.env,
      E2E_PORT: String(port),
      E2E_MAIL_PORT: String(mailPort),
      SESSION_IDLE_SECONDS: String(shortIdleSeconds),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  // should the worker end without stopping it, the server goes too rather than hold its ports
  const orphaned = () => child.kill('SIGTERM');
  process.once('exit', orphaned);
  const stop = async () => {
    process.off('exit', orphaned);
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`short-idle e2e server exited: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${mailPort}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`short-idle e2e server did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseURL: `http://127.0.0.1:${port}`,
    mail: (predicate) => mailAt(mailPort, predicate),
    stop,
  };
}

/** Playwright's test, plus the short-idle server (started once per worker, on first use). */
export const test = base.extend<Record<never, never>, { shortIdle: Server }>({
  shortIdle: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      const server = await startShortIdleServer(workerInfo.parallelIndex);
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

/**
 * A browser on the short-idle server whose page clock stands still: the timeout warning (which
 * shows at once with so short a timeout) and the reload at the timeout wait until the test moves
 * the clock, while the server's idle timer runs in real time.
 */
export async function pausedClockContext(browser: Browser, server: Server): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  await context.clock.install();
  await context.clock.pauseAt(Date.now() + 1000);
  return context;
}

// ---------------------------------------------------------------------------------------------
// The session the server keeps

/** The id of the page's session, from its cookie (`<id>.<signature>`). */
export async function sessionId(page: Page): Promise<string | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith('zairyu_session'));
  return cookie ? decodeURIComponent(cookie.value).split('.')[0] : undefined;
}

/** The key of a session in Redis, whatever prefix the e2e server runs with. */
export async function sessionKey(redis: Redis, id: string): Promise<string | undefined> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*s:${id}`, 'COUNT', 1000);
    if (keys[0]) return keys[0];
    cursor = next;
  } while (cursor !== '0');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A tab in one language

export class Tour {
  readonly page: Page;
  readonly lang: Lang;

  constructor(page: Page, lang: Lang) {
    this.page = page;
    this.lang = lang;
  }

  t(key: string, params?: Record<string, string>): string {
    return translate(key, this.lang, params);
  }

  /** "CODE: text" / "CODE：text", as the page shows an error. */
  error(code: string): string {
    return errorMessage(code, this.lang);
  }

  /** The button labelled with message `key` (`within` a part of the page). */
  button(key: string, within: Page | Locator = this.page): Locator {
    return within.getByRole('button', { name: this.t(key), exact: true });
  }

  /** A section of the page, by the message key of its heading. */
  region(key: string): Locator {
    return this.page.getByRole('region', { name: this.t(key), exact: true });
  }

  /** The homepage's Login or User Registration button of this user category (manual 2.1.3 items 3, 4). */
  categoryButton(section: 'home.login' | 'home.register'): Locator {
    return this.button('home.category.counter', this.region(section));
  }

  /** A form field by its name (a radio group: its first radio button). */
  field(name: string): Locator {
    return this.page.locator(`[name="${name}"]:not([type=hidden])`).first();
  }

  /** Opens a URL with no session on it (the homepage, an emailed link), in this tour's language. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /** Opens the homepage in this tour's language (the choice is kept in a cookie). */
  async openHome(): Promise<void> {
    await this.page.goto(`/?lang=${this.lang}`);
    await this.expectPage('home');
  }

  /** Presses a button (message key or locator) and waits for the page it leads to. */
  async press(target: string | Locator): Promise<void> {
    const button = typeof target === 'string' ? this.button(target) : target;
    const loaded = this.page.waitForEvent('load');
    await button.click();
    await loaded;
  }

  /** The browser is on this page state, in this tour's language. */
  async expectPage(path: string): Promise<void> {
    const state = pageAt(path);
    await expect(this.page).toHaveURL((url) => url.pathname === state.meta.url);
    await expect(this.page.locator(`main.page--${state.meta.template}`)).toBeVisible();
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.lang);
  }

  /** The page shows these error codes (one or more times each) at the top, in the error summary. */
  async expectErrors(...codes: string[]): Promise<void> {
    const summary = this.page.locator('[data-error-summary]');
    await expect(summary).toBeVisible();
    for (const code of codes) await expect(summary.locator(`li[data-code="${code}"]`).first()).toBeVisible();
  }

  /** Types into the form's fields by name; a radio group gets the option of that value checked. */
  async fill(fields: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) {
      const field = this.field(name);
      if ((await field.getAttribute('type')) === 'radio')
        await this.page.locator(`[name="${name}"][value="${value}"]`).check();
      else await field.fill(value);
    }
  }

  /** The address Search picker (manual 1.4 item 5): Search, the prefecture, the municipality. */
  async searchAddress(
    municipalityCode: string,
    at?: (step: 'prefectures' | 'municipalities') => Promise<void>,
  ) {
    await this.press('button.search');
    await at?.('prefectures');
    await this.choosePrefecture(municipalityCode);
    await at?.('municipalities');
    await this.chooseMunicipality(municipalityCode);
  }

  /** On the picker's list of prefectures: the prefecture of this municipality. */
  async choosePrefecture(municipalityCode: string): Promise<void> {
    const pref = prefecture(municipalityCode.slice(0, 2));
    if (!pref) throw new Error(`no prefecture for ${municipalityCode}`);
    await this.press(this.page.getByRole('button', { name: pref[this.lang], exact: true }));
  }

  /** On the picker's list of municipalities: this one. */
  async chooseMunicipality(municipalityCode: string): Promise<void> {
    const place = municipality(municipalityCode);
    if (!place) throw new Error(`no municipality ${municipalityCode}`);
    const name = this.lang === 'en' ? `${place.en} ${place.ja}` : place.ja;
    await this.press(this.page.getByRole('button', { name, exact: true }));
  }

  /** The address as the pages show it once chosen with Search. */
  addressName(municipalityCode: string): string {
    const place = municipality(municipalityCode);
    const pref = prefecture(municipalityCode.slice(0, 2));
    if (!place || !pref) throw new Error(`no municipality ${municipalityCode}`);
    const ja = `${place.prefectureJa}${place.ja}`;
    return this.lang === 'en' ? `${place.en}, ${pref.en} ${ja}` : ja;
  }

  /** From the homepage: the login page, then the menu. */
  async logIn(account: Pick<Account, 'userId' | 'password'>): Promise<void> {
    await this.press(this.categoryButton('home.login'));
    await this.expectPage('login');
    await this.fill({ userId: account.userId, password: account.password });
    await this.press('button.login');
    await this.expectPage('signedIn.menu');
  }
}

// ---------------------------------------------------------------------------------------------
// Applicants and accounts

export interface Applicant {
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  street: string;
  phone: string;
  email: string;
  password: string;
}

export interface Account extends Applicant {
  userId: string;
}

/** A new applicant with an email address nobody has used. */
export function newApplicant(tag: string): Applicant {
  const id = randomBytes(4).toString('hex');
  return {
    name: 'TEST MADOGUCHI',
    sex: 'female',
    birthDate: '1990-04-01',
    street: '１－１－１　霞ヶ関ハイツ２０２号',
    phone: '0312345678',
    email: `${tag}-${id}@example.com`,
    password: `Koubou#${id}9`,
  };
}

/** The fields of the User Information Input page for an applicant. */
export function registrationFields(applicant: Applicant): Record<string, string> {
  const { name, sex, birthDate, street, phone, email } = applicant;
  return { name, sex, birthDate, street, phone, email, emailConfirm: email };
}

/** The municipality every test registers in: 千代田区, Tokyo. */
export const chiyoda = '13101';

/** The user ID the registration email gives. */
export function userIdIn(mail: Message): string {
  const userId = /(?:認証ID：|User ID: )([a-z0-9]+)/.exec(mail.text)?.[1];
  if (!userId) throw new Error(`no user ID in: ${mail.text}`);
  return userId;
}

/** The path and query of the link to this page state in an email (the Password Registration page unless told). */
export function linkIn(mail: Message, path = 'passwordRegistration'): string {
  const url = new RegExp(`https?://\\S+${pageAt(path).meta.url}\\?token=[\\w%-]+`).exec(mail.text)?.[0];
  if (!url) throw new Error(`no link to ${path} in: ${mail.text}`);
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** The email of this kind, in this language, to this address. */
export function mailOf(server: Server, to: string, template: MailTemplate, lang: Lang): Promise<Message> {
  const subject = subjectOf(template, lang);
  return server.mail((message) => message.to.includes(to) && message.subject === subject);
}

/** A client that posts the pages' forms as a browser would, without one: for making accounts. */
class FormClient {
  private html = '';
  private path = '/';
  private readonly http: APIRequestContext;

  constructor(http: APIRequestContext) {
    this.http = http;
  }

  private async take(response: APIResponse): Promise<void> {
    expect(response.status(), response.url()).toBeLessThan(400);
    this.html = await response.text();
    this.path = new URL(response.url()).pathname;
  }

  async open(url: string): Promise<void> {
    await this.take(await this.http.get(url));
  }

  async press(action: string, fields: Record<string, string> = {}): Promise<void> {
    const step = /name="_step" value="([^"]*)"/.exec(this.html)?.[1] ?? '';
    await this.take(await this.http.post(this.path, { form: { _step: step, _action: action, ...fields } }));
  }

  expectPage(path: string): void {
    expect(this.path).toBe(pageAt(path).meta.url);
  }
}

/**
 * An account with a password, registered over HTTP the way the pages do it (input, confirm, the
 * emailed link, the password): for tests about something else than registering.
 */
export async function createAccount(server: Server, lang: Lang = 'ja', tag = 'e2e'): Promise<Account> {
  const applicant = newApplicant(`${tag}-${lang}`);
  const http = await request.newContext({ baseURL: server.baseURL });
  try {
    const client = new FormClient(http);
    await client.open(`/?lang=${lang}`);
    await client.press('GO_REGISTER');
    await client.press('CONFIRM_REGISTRATION', {
      ...registrationFields(applicant),
      municipalityCode: chiyoda,
    });
    client.expectPage('registration.confirm');
    await client.press('REGISTER');
    const mail = await mailOf(server, applicant.email, 'registration', lang);
    await client.open(linkIn(mail));
    await client.press('SET_PASSWORD', { password: applicant.password, passwordConfirm: applicant.password });
    client.expectPage('passwordRegistered');
    return { ...applicant, userId: userIdIn(mail) };
  } finally {
    await http.dispose();
  }
}

/** `upper` is laid out wholly above `lower` on the page. */
export async function expectAbove(upper: Locator, lower: Locator): Promise<void> {
  const [a, b] = [await upper.boundingBox(), await lower.boundingBox()];
  if (!a || !b) throw new Error('both elements must be visible');
  expect(a.y + a.height).toBeLessThanOrEqual(b.y);
}
