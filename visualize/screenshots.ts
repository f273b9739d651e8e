/**
 * Screenshots of every page state, in Japanese and English, for the explorer
 * (`npm run visualize -- --screenshots`). Starts the real app in development mode on a
 * throw-away database (in-process session store and mail catcher, demo user), and walks the flow
 * in Chromium the way a person does: pressing the page's buttons, filling its forms, following
 * the emailed links from /dev/mailbox. Whenever the browser lands on a page state it has not
 * captured yet in that language, the page is saved as `<state id>.<lang>.png`.
 *
 * The journeys below name events and form fields; which page each step lands on, and which pages
 * exist at all, come from the machine. A page no journey reaches is reported as missing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { sessionMachine } from '../machines/session.ts';
import { indexPages, type PageState } from '../src/flow/pages.ts';
import { start } from '../src/main.ts';
import { chromiumArgs, chromiumPath } from '../test/support/e2e-settings.ts';
import { createTestDatabase, withClient } from '../test/support/postgres.ts';

const langs = ['ja', 'en'] as const;
type Lang = (typeof langs)[number];

const demo = { userId: 'analyst01', password: 'Analyst#view2026' };
const pages = indexPages(sessionMachine);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/** One language's walk: a browser context per journey, and what has been captured. */
class Walker {
  readonly captured = new Set<string>();
  page!: Page;
  private context?: BrowserContext;

  private readonly browser: Browser;
  readonly app: { url: string; databaseUrl: string };
  readonly lang: Lang;
  private readonly dir: string;

  constructor(browser: Browser, app: { url: string; databaseUrl: string }, lang: Lang, dir: string) {
    this.browser = browser;
    this.app = app;
    this.lang = lang;
    this.dir = dir;
  }

  /** A fresh browser (no session), in this walker's language. */
  async newJourney(): Promise<void> {
    await this.context?.close();
    this.context = await this.browser.newContext({
      viewport: { width: 1100, height: 800 },
      locale: this.lang === 'ja' ? 'ja-JP' : 'en-GB',
      timezoneId: 'Asia/Tokyo',
    });
    await this.context.addCookies([{ name: 'lang', value: this.lang, url: this.app.url }]);
    this.context.setDefaultTimeout(10_000);
    this.page = await this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context?.close();
  }

  /** The page state the browser is on, read off the machine's URLs. */
  current(): PageState | undefined {
    return pages.byUrl.get(new URL(this.page.url()).pathname);
  }

  private async capture(): Promise<void> {
    const state = this.current();
    if (!state) throw new Error(`landed on ${this.page.url()}, which is no page state`);
    const id = `${sessionMachine.id}.${state.path}`;
    if (this.captured.has(id)) return;
    await this.page.screenshot({ path: join(this.dir, `${id}.${this.lang}.png`), fullPage: true });
    this.captured.add(id);
  }

  async open(path: string): Promise<void> {
    await this.page.goto(new URL(path, this.app.url).toString());
    await this.capture();
  }

  /** Fills the fields by name (text, radio, select), then presses the button posting `action`. */
  async press(action: string, fields: Record<string, string> = {}): Promise<void> {
    await this.fill(fields);
    await this.click(`button[name="_action"][value="${action}"]:not([aria-hidden="true"])`);
  }

  /** Presses a choice button of the Search picker (`prefecture` or `municipalityCode`). */
  async choose(name: string, value: string): Promise<void> {
    await this.click(`button[name="${name}"][value="${value}"]`);
  }

  private async fill(fields: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) {
      const field = this.page.locator(`[name="${name}"]`).first();
      const kind = await field.evaluate(
        (el) => `${el.tagName.toLowerCase()}:${el.getAttribute('type') ?? ''}`,
      );
      if (kind === 'input:radio') await this.page.check(`[name="${name}"][value="${value}"]`);
      else if (kind.startsWith('select')) await field.selectOption(value);
      else await field.fill(value);
    }
  }

  private async click(selector: string): Promise<void> {
    await Promise.all([this.page.waitForNavigation(), this.page.locator(selector).first().click()]);
    await this.capture();
  }

  /** Waits for the next email to `to` and opens the link in it. */
  async followMail(to: string, seen: Set<string>): Promise<void> {
    const link = await waitForLink(this.app.url, to, seen);
    await this.open(link);
  }
}

/** The newest message to `to` not seen yet, from the development mailbox, and the link in it. */
async function waitForLink(base: string, to: string, seen: Set<string>): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${base}/dev/mailbox`)).text();
    for (const [, id] of list.matchAll(/href="\/dev\/mailbox\/([^"/]+)"/g)) {
      if (!id || seen.has(id)) continue;
      const message = await (await fetch(`${base}/dev/mailbox/${id}`)).text();
      if (!message.includes(to)) continue;
      seen.add(id);
      const link = /href="(https?:\/\/[^"]*token=[^"]*)"/.exec(message)?.[1];
      if (link) return link.replaceAll('&amp;', '&');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`no email with a link to ${to} within 20 s`);
}

async function userIdOf(databaseUrl: string, email: string): Promise<string> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ user_id: string }>('SELECT user_id FROM users WHERE email = $1', [
      email,
    ]);
    if (!rows[0]) throw new Error(`no user with email ${email}`);
    return rows[0].user_id;
  });
}

interface Journey {
  name: string;
  run(walker: Walker, mail: Set<string>): Promise<void>;
}

/** The demo user's password, changed by the journeys as they go. */
let demoPassword = demo.password;

const journeys: Journey[] = [
  {
    name: 'registration, its emailed link, and the forgotten password',
    async run(w, mail) {
      const email = `analyst-${w.lang}-${randomBytes(3).toString('hex')}@example.com`;
      const password = 'Kanri#sample42';
      await w.open('/');
      await w.press('GO_REGISTER');
      await w.press('SEARCH', {
        name: 'TEST MADOGUCHI',
        sex: 'female',
        birthDate: '1990-04-01',
        street: '霞が関１－１－１',
        phone: '0312345678',
        email,
        emailConfirm: email,
      });
      await w.choose('prefecture', '13');
      await w.choose('municipalityCode', '13101');
      await w.press('CONFIRM_REGISTRATION');
      await w.press('REGISTER');
      await w.followMail(email, mail);
      await w.press('SET_PASSWORD', { password, passwordConfirm: password });
      await w.press('BACK_TO_LOGIN');
      await w.press('GO_FORGOT_PASSWORD');
      await w.press('SEND_RESET', { userId: await userIdOf(w.app.databaseUrl, email), email });
    },
  },
  {
    name: 'signed in: user information, address search, password change, logout, expiry',
    async run(w) {
      const newPassword = `Kaigi#${w.lang}${randomBytes(3).toString('hex')}9`;
      await w.open('/');
      await w.press('GO_LOGIN');
      await w.press('LOGIN', { userId: demo.userId, password: demoPassword });
      await w.press('GO_USER_INFO');
      await w.press('GO_CHANGE_USER_INFO');
      await w.press('SEARCH');
      await w.press('BACK');
      await w.press('CHANGE_USER_INFO', { phone: `090${String(Date.now()).slice(-8)}` });
      await w.press('BACK_TO_USER_INFO');
      await w.press('GO_CHANGE_PASSWORD');
      await w.press('CHANGE_PASSWORD', {
        currentPassword: demoPassword,
        newPassword,
        newPasswordConfirm: newPassword,
      });
      demoPassword = newPassword;
      // Keep the session's cookie: once the session is gone, presenting it is a timed-out session.
      const cookies = await w.page.context().cookies();
      await w.press('LOGOUT');
      await w.page.context().addCookies(cookies.filter((cookie) => cookie.name !== 'lang'));
      await w.open('/menu');
    },
  },
  {
    name: 'a bad emailed link, and a page opened out of sequence',
    async run(w) {
      await w.open('/password/register?token=not-a-real-token');
      await w.open('/');
      await w.open('/login');
    },
  },
];

/**
 * Captures every page state it can reach into `dir` (emptied first) and returns a report: what was
 * captured, and which page states are missing in which language, with the reason.
 */
export async function captureScreenshots(dir: string): Promise<string[]> {
  const env = spawnSync(
    process.execPath,
    [join(import.meta.dirname, '..', 'test', 'support', 'ensure-env.ts')],
    {
      stdio: 'inherit',
    },
  );
  if (env.status !== 0) throw new Error('the environment check failed (see above)');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const database = await createTestDatabase();
  const port = await freePort();
  const report: string[] = [];
  let app: Awaited<ReturnType<typeof start>> | undefined;
  let browser: Browser | undefined;
  try {
    app = await start({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DEMO_USER_ID: demo.userId,
      DEMO_PASSWORD: demo.password,
      LOG_LEVEL: 'warn',
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const mail = new Set<string>();
    for (const lang of langs) {
      const walker = new Walker(browser, { url: app.url, databaseUrl: database.url }, lang, dir);
      for (const journey of journeys) {
        await walker.newJourney();
        try {
          await journey.run(walker, mail);
        } catch (error) {
          const where = walker.current()?.path ?? walker.page.url();
          report.push(
            `screenshots (${lang}): journey "${journey.name}" stopped on ${where}: ${String(error)}`,
          );
        }
      }
      await walker.close();
      const missing = pages.pages.filter((page) => !walker.captured.has(`${sessionMachine.id}.${page.path}`));
      report.push(
        `screenshots (${lang}): ${walker.captured.size} of ${pages.pages.length} page states` +
          (missing.length > 0 ? `; missing: ${missing.map((page) => page.path).join(', ')}` : ''),
      );
    }
  } finally {
    await browser?.close();
    await app?.close();
    await database.drop();
  }
  return report;
}
