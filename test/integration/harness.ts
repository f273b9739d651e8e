/**
 * Builds the real app on this run's throw-away database and a Redis key prefix of its own, and a
 * browser-like client for it: a cookie jar, the step token read from each page, PRG followed.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { PgBoss } from 'pg-boss';
import { inject } from 'vitest';
import type { EntryEvent } from '../../machines/session.ts';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { demoProfile } from '../../src/db/demo-user.ts';
import { databaseIdentity } from '../../src/db/identity.ts';
import { createPool } from '../../src/db/pool.ts';
import { insertUser, type NewUser } from '../../src/db/users.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { generateUserId } from '../../src/domain/rules.ts';
import { ensureAccountQueue, startAccountRequestWorker } from '../../src/mail/account-requests.ts';
import { MAIL_QUEUE } from '../../src/mail/jobs.ts';
import { openMailJob } from '../../src/mail/producer.ts';
import { ensureQueues } from '../../src/mail/queue.ts';
import { type JobSeal, jobSeal } from '../../src/mail/seal.ts';
import { startMailWorker } from '../../src/mail/worker.ts';
import { loggerOptions } from '../../src/ops/logging.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { type SessionStore, type StoreTimes, sessionTimes } from '../../src/store/types.ts';
import { emailedLinkIn } from '../support/emailed-link.ts';
import { type Message, startSmtp, type TestSmtp } from '../support/smtp.ts';

export interface Harness {
  app: FastifyInstance;
  config: Config;
  pool: pg.Pool;
  store: SessionStore;
  boss: PgBoss;
  redis: Redis;
  prefix: string;
  /** Seals and opens this harness's jobs, as the app does (from its session secret). */
  seal: JobSeal;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** A pg-boss schema of the harness's own, so no other test file's worker takes its mail jobs. */
  bossSchema?: string;
  /** Replaces the Redis-backed store (e.g. one pointing at a Redis that is down). */
  store?: SessionStore;
  /** The app's pool connects here instead (e.g. through a proxy a test can cut, another database). */
  databaseUrl?: string;
  /** The Redis key prefix, when another harness must share it (a random one of its own otherwise). */
  prefix?: string;
  logger?: FastifyServerOptions['logger'];
}

export async function startHarness(
  env: Record<string, string> = {},
  times?: Partial<StoreTimes>,
  options: HarnessOptions = {},
): Promise<Harness> {
  const databaseUrl = inject('databaseUrl');
  const prefix = options.prefix ?? `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: prefix,
    // every test browser comes from one address; the per-address limit is tested apart
    SESSION_CREATION_PER_MINUTE: '100000',
    ...env,
  });
  const pool = createPool(options.databaseUrl ?? databaseUrl, 5);
  const redis = new Redis(inject('redisUrl'));
  const store =
    options.store ??
    createRedisStore(redis, prefix, { ...sessionTimes(config), ...times }, await databaseIdentity(pool));
  const schema = options.bossSchema;
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2, ...(schema ? { schema } : {}) });
  boss.on('error', () => {});
  await boss.start();
  await ensureQueues(boss);
  await ensureAccountQueue(boss);
  const sessionSecret = randomBytes(32).toString('hex');
  const app = await buildApp({ config, pool, store, boss, redis, sessionSecret, logger: options.logger });
  await app.ready();
  return {
    app,
    config,
    pool,
    store,
    boss,
    redis,
    prefix,
    seal: jobSeal(sessionSecret),
    async close() {
      await app.close();
      await boss.stop({ graceful: false });
      if (schema) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      redis.disconnect();
    },
  };
}

/** The app's logger (as production builds it) writing its JSON lines into `lines` instead of stdout. */
export function capturedLogger(): { lines: string[]; logger: FastifyServerOptions['logger'] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: { ...(loggerOptions('info') as object), stream } };
}

/** A session store on a Redis nobody listens to, as in an outage; `close` lets its client go. */
export function unreachableStore(): { store: SessionStore; close(): void } {
  const redis = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const store = createRedisStore(
    redis,
    'x:',
    { idleMs: 1000, absoluteMs: 1000, anonymousMs: 1000 },
    'never-reached',
  );
  return { store, close: () => redis.disconnect() };
}

export interface MailHarness extends Harness {
  /** The pg-boss schema of this harness's queues. */
  bossSchema: string;
  /** The real SMTP server the notification worker delivers this harness's mail to. */
  smtp: TestSmtp;
  /** The first email to `to` whose subject contains `subject` (already received or still to come). */
  mailTo(to: string, subject?: string): Promise<Message>;
  /** How many notification jobs for `to` were enqueued (committed), sent or not. */
  jobsFor(to: string): Promise<number>;
}

/** The harness with the notification worker running against a real SMTP server. */
export async function startMailHarness(env: Record<string, string> = {}): Promise<MailHarness> {
  const schema = `pages_${randomBytes(4).toString('hex')}`;
  const smtp = await startSmtp();
  // the pages and the emails name the same help desk
  const helpdesk = { tel: '050-0000-0000', email: 'helpdesk@example.jp' };
  const harness = await startHarness(
    { SMTP_URL: smtp.url, HELPDESK_TEL: helpdesk.tel, HELPDESK_EMAIL: helpdesk.email, ...env },
    undefined,
    { bossSchema: schema },
  );
  const quiet = { info() {}, warn() {}, error() {} };
  const worker = await startMailWorker({
    boss: harness.boss,
    seal: harness.seal,
    smtpUrl: smtp.url,
    from: 'no-reply@ras-immi.example.jp',
    log: quiet,
    helpdesk,
    pollingIntervalSeconds: 0.5,
  });
  const accounts = await startAccountRequestWorker({
    config: harness.config,
    pool: harness.pool,
    boss: harness.boss,
    seal: harness.seal,
    log: quiet,
    pollingIntervalSeconds: 0.5,
  });
  return {
    ...harness,
    bossSchema: schema,
    smtp,
    mailTo: (to, subject = '') =>
      smtp.waitFor((message) => message.to.includes(to) && message.subject.includes(subject)),
    async jobsFor(to) {
      const { rows } = await harness.pool.query<{ data: unknown }>(
        `SELECT data FROM ${schema}.job WHERE name = $1`,
        [MAIL_QUEUE],
      );
      return rows.filter((row) => openMailJob(harness.seal, row.data).to === to).length;
    },
    async close() {
      await accounts.stop();
      await worker.stop();
      await harness.close();
      await smtp.close();
    },
  };
}

/**
 * The address Search picker from a form page (manual 1.4 item 5): Search with the typed `fields`,
 * the prefecture of `municipalityCode`, then the municipality. Answers the three pages it passed.
 */
export async function pickAddress(
  browser: Browser,
  fields: Record<string, string>,
  municipalityCode: string,
) {
  const prefectures = await browser.press('SEARCH', fields);
  const municipalities = await browser.press('SELECT_PREFECTURE', {
    prefecture: municipalityCode.slice(0, 2),
  });
  const form = await browser.press('SELECT_MUNICIPALITY', { municipalityCode });
  return { prefectures, municipalities, form };
}

/**
 * The path and query of the system's link that starts `event` in an email (the Password
 * Registration link unless told), to open with `Browser.get`.
 */
export function linkIn(message: Message, event: EntryEvent = 'OPEN_LINK'): string {
  const link = emailedLinkIn(message.text, event);
  if (!link) throw new Error(`no ${event} link in: ${message.text}`);
  return link;
}

/** "Forgot your password?" for the pair (2.5.2), in a browser of its own. */
export async function requestReset(app: FastifyInstance, userId: string, email: string): Promise<void> {
  const browser = new Browser(app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  await browser.press('GO_FORGOT_PASSWORD');
  await browser.press('SEND_RESET', { userId, email });
}

export interface TestUser {
  id: string;
  userId: string;
  password: string;
  email: string;
}

/** A registered user with a password, unique per call. */
export async function createUser(pool: pg.Pool, overrides: Partial<NewUser> = {}): Promise<TestUser> {
  const password = 'Passw0rd#1';
  const userId = generateUserId();
  const email = `${userId}@example.com`;
  const row = await insertUser(pool, {
    ...demoProfile,
    user_id: userId,
    email,
    password_hash: await hashPassword(password),
    ...overrides,
  });
  if (!row) throw new Error('user ID collision');
  return { id: row.id, userId, password, email: row.email };
}

export interface Page {
  status: number;
  /** The path of the page shown, without its query. */
  url: string;
  /** The URL as requested, query and all (a page's per-render key is in it). */
  href: string;
  html: string;
  /** The step token of the page's forms. */
  step: string;
}

interface Sent {
  statusCode: number;
  headers: { location?: string | number | string[]; 'set-cookie'?: string | string[] | number };
  body: string;
}

/** How a request reaches the app: `inject` into one instance, or real HTTP to a base URL chosen per request. */
type Transport = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
) => Promise<Sent>;

function injectInto(app: FastifyInstance): Transport {
  return async (method, url, headers, body) => {
    const response = await app.inject({ method: method as 'GET' | 'POST', url, headers, payload: body });
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
  };
}

/** Real HTTP; `base()` names the server for each request (e.g. alternating between processes). */
export function overHttp(base: () => string): Transport {
  return async (method, url, headers, body) => {
    const response = await fetch(`${base()}${url}`, { method, headers, body, redirect: 'manual' });
    return {
      statusCode: response.status,
      headers: {
        location: response.headers.get('location') ?? undefined,
        'set-cookie': response.headers.getSetCookie(),
      },
      body: await response.text(),
    };
  };
}

/** A form POST as a page sends it (urlencoded), with the cookies and headers given. */
export function postForm(
  app: FastifyInstance,
  url: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: options.remoteAddress,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A browser: keeps cookies, follows 303s, remembers the last page. */
export class Browser {
  cookies = new Map<string, string>();
  page: Page = { status: 0, url: '', href: '', html: '', step: '' };
  /** Sent with every request, redirects followed included (e.g. the fetch metadata of a navigation). */
  headers: Record<string, string> = {};
  private readonly send: Transport;

  constructor(app: FastifyInstance | Transport) {
    this.send = typeof app === 'function' ? app : injectInto(app);
  }

  private keepCookies(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!name) continue;
      if (expired || rest.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), rest.join('='));
    }
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Page> {
    const response = await this.send(
      method,
      url,
      {
        ...this.headers,
        cookie: this.cookieHeader(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      form ? new URLSearchParams(form).toString() : undefined,
    );
    this.keepCookies(response.headers['set-cookie'] as string | string[] | undefined);
    if (response.statusCode === 303) return this.get(String(response.headers.location));
    const html = response.body;
    const step = /name="_step" value="([^"]*)"/.exec(html)?.[1] ?? '';
    this.page = { status: response.statusCode, url: url.split('?')[0] ?? url, href: url, html, step };
    return this.page;
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The id of this browser's session (its cookie is `<id>.<signature>`). */
  sessionId(): string | undefined {
    const raw = this.cookies.get('zairyu_session');
    return raw ? decodeURIComponent(raw).split('.')[0] : undefined;
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  /** The browser's reload button: the page shown, requested again at the same URL. */
  refresh(): Promise<Page> {
    return this.get(this.page.href);
  }

  /** Presses a button of the current page: posts its event with the page's step token. */
  press(action: string, fields: Record<string, string> = {}, step = this.page.step): Promise<Page> {
    return this.request('POST', this.page.url, { _step: step, _action: action, ...fields });
  }

  async login(user: TestUser): Promise<Page> {
    await this.get('/');
    await this.press('GO_LOGIN');
    return this.press('LOGIN', { userId: user.userId, password: user.password });
  }
}
