/**
 * The baseline: what a plain Fastify service with server-side sessions pays for the round trip
 * menu → user information → menu, with no session machine and no engine. It does what every such
 * service must do, the way Zairyu does it:
 *
 * - the same signed session cookie (@fastify/cookie) and form parsing (@fastify/formbody);
 * - one Redis GET of the session per request and one SET per POST, of a record of the same size
 *   and shape as Zairyu's (the runner hands it a real logged-in record: `BENCH_RECORD`), parsed
 *   and serialised as JSON;
 * - the same pages: the real templates (menu, userInfo) rendered by the service's Eta
 *   (`pageTemplates`) through @fastify/view,
 *   with the same view model (src/flow/view.ts);
 * - the same answers: 303 to the next page, 303 to /invalid-operation on a wrong step token.
 *
 * It leaves out what Zairyu adds: restoring and running the machine, the compare-and-set and the
 * step claim, reading the user's profile (from its cache in Redis, PostgreSQL on a miss), the
 * app's other plugins (logging, metrics, security headers).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { AnyMachineSnapshot } from 'xstate';
import type { PageState } from '../src/flow/pages.ts';
import { pageTemplates, viewModel } from '../src/flow/view.ts';
import type { SessionRecord } from '../src/store/types.ts';

const templatesDir = join(import.meta.dirname, '..', 'templates');
const cookieName = 'zairyu_session';
export const idleMs = 30 * 60_000;

export interface BaselineOptions {
  redisUrl: string;
  /** Prefix of the baseline's Redis keys. */
  prefix: string;
  secret: string;
  /** A stored session value (`<revision>\n<json>`) whose size and shape every record copies. */
  record: string;
  host?: string;
  port?: number;
}

/** The baseline reads the same variables as the service, plus `BENCH_RECORD`. */
export function baselineOptions(env: NodeJS.ProcessEnv): BaselineOptions {
  const { REDIS_URL, REDIS_PREFIX, SESSION_SECRET, BENCH_RECORD } = env;
  if (!REDIS_URL || !REDIS_PREFIX || !SESSION_SECRET || !BENCH_RECORD) {
    throw new Error('the baseline needs REDIS_URL, REDIS_PREFIX, SESSION_SECRET and BENCH_RECORD');
  }
  return {
    redisUrl: REDIS_URL,
    prefix: REDIS_PREFIX,
    secret: SESSION_SECRET,
    record: BENCH_RECORD,
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 0),
  };
}

/** A baseline record: Zairyu's record plus the URL of the page it is on. */
type BaselineRecord = SessionRecord & { page: string };

export interface Page {
  state: PageState;
  /** The one button the scenario presses here, and where it leads. */
  action: string;
  next: string;
}

/** The two pages of the scenario, by URL. */
export const pages = new Map<string, Page>([
  [
    '/menu',
    {
      state: { path: 'signedIn.menu', meta: { url: '/menu', template: 'menu', signedIn: true } },
      action: 'GO_USER_INFO',
      next: '/user-info',
    },
  ],
  [
    '/user-info',
    {
      state: { path: 'signedIn.userInfo', meta: { url: '/user-info', template: 'userInfo', signedIn: true } },
      action: 'BACK',
      next: '/menu',
    },
  ],
]);

/** What the user-information page shows; Zairyu reads it from its cache, the baseline has it at hand. */
export const userRow = {
  id: '1',
  user_id: 'abcde12345',
  name: 'TEST MADOGUCHI',
  sex: 'male',
  birth_date: '2000-01-01',
  municipality_code: '01101',
  address: '北海道札幌市中央区',
  street: '１－１－１霞ヶ関ハイツ２０２号',
  phone: '123456789012',
  email: 'abcde12345@example.com',
  lang: 'ja',
};

export function token(): string {
  return randomBytes(32).toString('base64url');
}

/** The parts of a stored session value (`<revision>\n<json>`). */
export function parseRecord(value: string): SessionRecord {
  return JSON.parse(value.slice(value.indexOf('\n') + 1)) as SessionRecord;
}

/** Form bodies and the service's own pages: its templates, by its Eta, in Japanese. */
export async function registerPages(app: FastifyInstance): Promise<void> {
  await app.register(formbody);
  await app.register(view, {
    engine: { eta: pageTemplates(templatesDir, true) },
    root: templatesDir,
    production: true,
  });
  app.decorateRequest('lang', 'ja');
}

const viewOptions = {
  loaders: {},
  idleSeconds: idleMs / 1000,
  helpdesk: { tel: '050-0000-0000', email: 'support@example.invalid' },
};

/** Renders a page of the scenario for a session whose machine context is `context`. */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: Page,
  context: unknown,
  step: string | null,
  /** The render's key in the URL, as the service's pages carry; null where none is kept. */
  key: number | null,
) {
  const snapshot = { context } as AnyMachineSnapshot;
  const data = page.state.meta.template === 'userInfo' ? { record: userRow } : {};
  const model = viewModel(request, { page: page.state, snapshot, step, key }, viewOptions, data);
  reply.header('cache-control', 'no-store');
  return reply.type('text/html; charset=utf-8').viewAsync(`${page.state.meta.template}.eta`, model);
}

export async function startBaseline(
  options: BaselineOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const key = (id: string) => `${options.prefix}s:${id}`;
  const sample = parseRecord(options.record);

  const app = Fastify({ logger: false });
  await app.register(cookie, { secret: options.secret });
  await registerPages(app);

  const save = (id: string, record: BaselineRecord) =>
    redis.set(key(id), `${record.revision}\n${JSON.stringify(record)}`, 'PX', idleMs);

  async function load(request: FastifyRequest): Promise<{ id: string; record: BaselineRecord } | null> {
    const raw = request.cookies[cookieName];
    const id = raw ? request.unsignCookie(raw) : undefined;
    if (!id?.valid || !id.value) return null;
    const value = await redis.get(key(id.value));
    if (value === null) return null;
    return { id: id.value, record: parseRecord(value) as BaselineRecord };
  }

  const invalid = (reply: FastifyReply) =>
    reply.clearCookie(cookieName, { path: '/' }).redirect('/invalid-operation', 303);

  // A signed-in session on the menu, as a login leaves it.
  app.post('/start', async (_request, reply) => {
    const id = token();
    await save(id, { ...sample, revision: 0, step: token(), lastStep: null, page: '/menu' });
    reply.setCookie(cookieName, id, { path: '/', httpOnly: true, sameSite: 'lax', signed: true });
    return reply.redirect('/menu?k=0', 303);
  });

  for (const [url, page] of pages) {
    app.get(url, async (request, reply) => {
      const session = await load(request);
      if (!session || session.record.page !== url) return invalid(reply);
      const { record } = session;
      const context = (record.snapshot as { context: unknown }).context;
      return renderPage(request, reply, page, context, record.step, record.revision);
    });

    app.post(url, async (request, reply) => {
      const body = (request.body ?? {}) as { _step?: string; _action?: string };
      const session = await load(request);
      if (!session || session.record.page !== url) return invalid(reply);
      const { id, record } = session;
      if (body._step !== record.step || body._action !== page.action) return invalid(reply);
      await save(id, {
        ...record,
        revision: record.revision + 1,
        step: token(),
        lastStep: body._step,
        page: page.next,
      });
      reply.header('cache-control', 'no-store');
      // the same URL shape as the service's: the page with its per-render key
      return reply.redirect(`${page.next}?k=${record.revision + 1}`, 303);
    });
  }

  return listen(app, redis, options);
}

/** Listens where `options` say; `close()` stops the server and its Redis connection. */
export async function listen(
  app: FastifyInstance,
  redis: Redis,
  options: Pick<BaselineOptions, 'host' | 'port'>,
): Promise<{ url: string; close(): Promise<void> }> {
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      await app.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
