/**
 * Every page state of the running service, shown in Chromium in Japanese and English: for the
 * explorer's screenshots (`npm run visualize`) and for the generated manual (`npm run manual`).
 *
 * Starts the real service as `npm start` would, on the embedded defaults or the configured
 * servers: with DATABASE_URL, a throw-away database on that server (dropped afterwards); without
 * it, the embedded PostgreSQL under `.data/`; with REDIS_URL, a key prefix of its own (deleted
 * afterwards); without it, the in-process session store. Its mail goes to an SMTP server started
 * here, whose messages give the walk the emailed links (a relay would deliver them to made-up
 * addresses).
 *
 * The browser follows the paths generated from the machine (manual/paths.ts), pressing each page's
 * buttons as a person does (the page client of test/e2e/page-driver.ts); which page it comes to is
 * checked against the path after every step. Nothing here names a page or a button.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sign } from '@fastify/cookie';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { sessionMachine } from '../machines/session.ts';
import { type Arrival, walk } from '../manual/paths.ts';
import { indexPages } from '../src/flow/pages.ts';
import type { Lang } from '../src/i18n/lang.ts';
import { start } from '../src/main.ts';
import { PageClient } from '../test/e2e/page-driver.ts';
import { type Account, type Driver, registerAccount } from '../test/paths/journey.ts';
import { type ModelPath, pageOfValue, shortestPaths } from '../test/paths/model.ts';
import { chromiumArgs, chromiumPath } from '../test/support/e2e-settings.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { deleteKeys } from '../test/support/redis.ts';
import { type Message, startSmtp } from '../test/support/smtp.ts';

/** The width of the pages shown: a desktop browser's. */
export const viewport = { width: 1024, height: 768 };
const sessionCookie = 'zairyu_session';

interface Service {
  url: string;
  mail(predicate: (message: Message) => boolean): Promise<Message>;
  /** A session cookie the server accepts as its own but holds no session for: what an idle timeout leaves. */
  expiredSessionCookie(): string;
  close(): Promise<void>;
}

/** The real service on a free port, on the embedded defaults or the configured servers (see above). */
async function startService(): Promise<Service> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    const smtp = await startSmtp();
    closers.push(() => smtp.close());
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (env.DATABASE_URL) {
      const database = await createTestDatabase(env);
      closers.push(() => database.drop());
      env.DATABASE_URL = database.url;
    }
    if (env.REDIS_URL) {
      const prefix = `zairyu:manual:${randomBytes(4).toString('hex')}:`;
      closers.push(() => deleteKeys(env.REDIS_URL as string, prefix));
      env.REDIS_PREFIX = prefix;
    }
    const secret = randomBytes(32).toString('hex');
    const app = await start({
      ...env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      BASE_URL: '',
      SMTP_URL: smtp.url,
      SESSION_SECRET: secret,
      // Every browser of the walk comes from one address.
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    });
    closers.push(() => app.close());
    return {
      url: app.url,
      mail: (predicate) => smtp.waitFor(predicate, 30_000),
      expiredSessionCookie: () => encodeURIComponent(sign(randomBytes(32).toString('base64url'), secret)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A page the walk has come to, in a language, and the browser tab showing it. */
export interface Shown {
  lang: Lang;
  arrival: Arrival;
  tab: Page;
}

/** One language's browsers: the main tab of a path and the side ones its arrangements use. */
class Browsers {
  private readonly contexts: BrowserContext[] = [];
  private readonly browser: Browser;
  private readonly service: Service;
  private readonly lang: Lang;

  constructor(browser: Browser, service: Service, lang: Lang) {
    this.browser = browser;
    this.service = service;
    this.lang = lang;
  }

  async tab(): Promise<Page> {
    const context = await this.browser.newContext({
      baseURL: this.service.url,
      viewport,
      locale: this.lang === 'ja' ? 'ja-JP' : 'en-GB',
      timezoneId: 'Asia/Tokyo',
    });
    context.setDefaultTimeout(20_000);
    await context.addCookies([{ name: 'lang', value: this.lang, url: this.service.url }]);
    this.contexts.push(context);
    return context.newPage();
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
  }
}

/** The replay's driver on a Chromium tab: the page shown is checked against the path after each step. */
function chromiumDriver(tab: Page, browsers: Browsers, service: Service, account: () => Promise<Account>) {
  const main = new PageClient(async () => tab);
  const driver: Driver = {
    main,
    side: () => new PageClient(() => browsers.tab()),
    createAccount: account,
    mail: (predicate) => service.mail(predicate),
    outOfSequence: (action) => main.postForeign(action),
    async expire() {
      const value = service.expiredSessionCookie();
      await tab.context().addCookies([{ name: sessionCookie, value, url: service.url }]);
      await tab.reload();
    },
    async check(request, codes) {
      const expected = pageOfValue(request.to.value);
      const shown = new URL(tab.url()).pathname;
      if (!expected || shown !== expected.meta.url) {
        throw new Error(`the browser is on ${shown}, the path expects ${expected?.meta.url}`);
      }
      await tab.locator(`main.page--${expected.meta.template}`).waitFor();
      for (const code of codes) await tab.locator(`[data-code="${code}"]`).first().waitFor();
    },
  };
  return driver;
}

/**
 * Walks `paths` in each language, calling `show` on every page checked. Each path registers an
 * account of its own the first time it needs one (a path may lock it). Answers the failures (a path
 * that did not reach its end), one line each.
 */
export async function showPages(
  paths: ModelPath[],
  langs: readonly Lang[],
  show: (shown: Shown) => Promise<void>,
): Promise<string[]> {
  const service = await startService();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const failures: string[] = [];
    for (const lang of langs) {
      const browsers = new Browsers(browser, service, lang);
      const open = async () => {
        // An account of the path's own: a path may lock it or change its address for good.
        let account: Promise<Account> | undefined;
        const tab = await browsers.tab();
        const driver: Driver = chromiumDriver(tab, browsers, service, () => {
          account ??= registerAccount(driver);
          return account;
        });
        return { driver, tab, close: () => browsers.close() };
      };
      const failed = await walk(paths, open, (arrival, session) => show({ lang, arrival, tab: session.tab }));
      failures.push(...failed.map((line) => `${lang}: ${line}`));
    }
    return failures;
  } finally {
    await browser?.close();
    await service.close();
  }
}

const pages = indexPages(sessionMachine);

/**
 * The explorer's screenshots: every page state as it opens, in Japanese and English, saved into
 * `dir` (emptied first) as `<state id>.<lang>.png`. Answers a report: what was captured, which
 * page states are missing in which language, and why.
 */
export async function captureScreenshots(dir: string): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const langs: Lang[] = ['ja', 'en'];
  const captured = new Set<string>();
  const failures = await showPages(shortestPaths(), langs, async ({ lang, arrival, tab }) => {
    const id = `${sessionMachine.id}.${arrival.page.path}`;
    if (arrival.variant !== 'clean' || captured.has(`${id}.${lang}`)) return;
    captured.add(`${id}.${lang}`);
    await tab.screenshot({ path: join(dir, `${id}.${lang}.png`), fullPage: true });
  });
  const report = failures.map((line) => `screenshots: a path stopped: ${line}`);
  for (const lang of langs) {
    const missing = pages.pages.filter((page) => !captured.has(`${sessionMachine.id}.${page.path}.${lang}`));
    const count = pages.pages.length - missing.length;
    report.push(
      `screenshots (${lang}): ${count} of ${pages.pages.length} page states` +
        (missing.length > 0 ? `; missing: ${missing.map((page) => page.path).join(', ')}` : ''),
    );
  }
  return report;
}
