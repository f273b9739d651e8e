/**
 * Builds the real app on this run's throw-away database and a Redis key prefix of its own, and a
 * browser-like client for it: a cookie jar, the step token read from each page, PRG followed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { PgBoss } from 'pg-boss';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { insertUser, type NewUser } from '../../src/db/users.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { generateUserId } from '../../src/domain/rules.ts';
import { ensureQueues } from '../../src/mail/queue.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import type { SessionStore, StoreTimes } from '../../src/store/types.ts';

export interface Harness {
  app: FastifyInstance;
  pool: pg.Pool;
  store: SessionStore;
  boss: PgBoss;
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  times?: Partial<StoreTimes>,
): Promise<Harness> {
  const databaseUrl = inject('databaseUrl');
  const prefix = `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix, ...env });
  const pool = createPool(databaseUrl, 5);
  const redis = new Redis(inject('redisUrl'));
  const store = createRedisStore(redis, prefix, {
    idleMs: config.SESSION_IDLE_SECONDS * 1000,
    absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
    ...times,
  });
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2 });
  boss.on('error', () => {});
  await boss.start();
  await ensureQueues(boss);
  const app = await buildApp({ config, pool, store, boss, sessionSecret: randomBytes(32).toString('hex') });
  await app.ready();
  return {
    app,
    pool,
    store,
    boss,
    redis,
    prefix,
    async close() {
      await app.close();
      await boss.stop({ graceful: false });
      await pool.end();
      redis.disconnect();
    },
  };
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
    user_id: userId,
    name: 'TEST MADOGUCHI',
    sex: 'male',
    birth_date: '2000-01-01',
    municipality_code: '01101',
    street: '１－１－１霞ヶ関ハイツ２０２号',
    phone: '123456789012',
    email,
    lang: 'ja',
    password_hash: await hashPassword(password),
    ...overrides,
  });
  if (!row) throw new Error('user ID collision');
  return { id: row.id, userId, password, email: row.email };
}

export interface Page {
  status: number;
  url: string;
  html: string;
  /** The step token of the page's forms. */
  step: string;
}

/** A browser: keeps cookies, follows 303s, remembers the last page. */
export class Browser {
  cookies = new Map<string, string>();
  page: Page = { status: 0, url: '', html: '', step: '' };
  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
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
    const response = await this.app.inject({
      method,
      url,
      headers: {
        cookie: this.cookieHeader(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    this.keepCookies(response.headers['set-cookie']);
    if (response.statusCode === 303) return this.get(String(response.headers.location));
    const html = response.body;
    const step = /name="_step" value="([^"]*)"/.exec(html)?.[1] ?? '';
    this.page = { status: response.statusCode, url, html, step };
    return this.page;
  }

  /** The id of this browser's session (its cookie is `<id>.<signature>`). */
  sessionId(): string | undefined {
    const raw = this.cookies.get('zairyu_session');
    return raw ? decodeURIComponent(raw).split('.')[0] : undefined;
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
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
