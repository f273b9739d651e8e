/**
 * buildApp(deps) → the Fastify instance. Infrastructure plugins first, then the flow routes that
 * the session machine defines. Tests build it with real dependencies and use `inject`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { sessionMachine } from '../machines/session.ts';
import type { Config } from './config.ts';
import { purgeAuditEvents, shipAuditEvents } from './db/audit.ts';
import { credentialEpoch } from './db/users.ts';
import { UnsupportedBodyError } from './errors.ts';
import crossSite from './flow/cross-site.ts';
import { createEffects, provideEffects } from './flow/effects.ts';
import { createEngine } from './flow/engine.ts';
import errorPages from './flow/error-pages.ts';
import { createLoaders } from './flow/loaders.ts';
import { indexPages, type PageIndex } from './flow/pages.ts';
import postalLookup from './flow/postal-lookup.ts';
import rateLimits, { limitedUrls } from './flow/rate-limits.ts';
import flowRoutes from './flow/routes.ts';
import securityHeaders from './flow/security-headers.ts';
import sessionCookie from './flow/session-cookie.ts';
import { sessionLimit } from './flow/session-limit.ts';
import { createRenderer, pageTemplates } from './flow/view.ts';
import { errorCatalogue } from './i18n/errors.ts';
import i18n from './i18n/lang.ts';
import { translate } from './i18n/messages.ts';
import { jobSeal } from './mail/seal.ts';
import { createTrafficRecorder } from './ops/flow-traffic.ts';
import health from './ops/health.ts';
import liveFlowRoutes, { createLiveFlow } from './ops/live-flow.ts';
import sessionLogging, { requestLogOptions } from './ops/logging.ts';
import metricsPlugin, { createMetrics } from './ops/metrics.ts';
import { proxyTrust } from './ops/proxy-trust.ts';
import userSessions from './ops/user-sessions.ts';
import { type SessionStore, sessionTimes } from './store/types.ts';

export const templatesDir = join(import.meta.dirname, '..', 'templates');
/** The Digital Agency Design System's tokens (CSS custom properties), served as installed. */
const designTokensCss = fileURLToPath(import.meta.resolve('@digital-go-jp/design-tokens/dist/tokens.css'));

export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  store: SessionStore;
  boss: PgBoss;
  /** Shared Redis, when sessions live there: rate-limit counters go there too. */
  redis?: Redis;
  /** The cookie-signing secret (generated per start in development); job payloads are sealed with a key derived from it. */
  sessionSecret: string;
  logger?: FastifyServerOptions['logger'];
}

/** The homepage's URL, as the machine names it. */
function home(index: PageIndex): string {
  return index.byPath.get('home')?.meta.url ?? '/';
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, pool, store, boss } = deps;
  const secure = (config.BASE_URL ?? '').startsWith('https:');
  // The client's address (rate limits, the audit trail) from the proxies trusted to tell it.
  const trust = proxyTrust(config.TRUST_PROXY);
  const app = Fastify({
    logger: deps.logger ?? false,
    ...requestLogOptions(trust),
    ...(trust ? { trustProxy: trust } : {}),
    // A 1 MB field must get a coded message, not a refusal of the whole body.
    bodyLimit: 4 * 1024 * 1024,
  });

  // Forms only: every route that takes a body takes a page's form. Any other body (JSON, text,
  // multipart) is refused with a coded 415 page, unread, before the session is read: Fastify's
  // own JSON parser would hand the flow an object no page sends.
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  app.addContentTypeParser('*', (_request, _body, done) => done(new UnsupportedBodyError()));
  await app.register(sessionCookie, { secret: deps.sessionSecret, secure });
  await app.register(sessionLogging);
  const index = indexPages(sessionMachine);
  // before the language switch, which sets a cookie: a refused request sets none
  await app.register(crossSite, {
    baseUrl: config.BASE_URL,
    entryPaths: new Set([home(index), '/errors', ...index.entryUrls]),
    entryPrefixes: ['/assets/'],
    sessionless: new Set([home(index)]),
  });
  await app.register(i18n, { secure });
  await app.register(securityHeaders, { https: secure });
  await app.register(errorPages);
  await app.register(view, {
    engine: { eta: pageTemplates(templatesDir, config.NODE_ENV !== 'development') },
    root: templatesDir,
    production: config.NODE_ENV !== 'development',
  });
  await app.register(fastifyStatic, {
    root: join(templatesDir, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
  });
  // site.css imports the design system's tokens from here; nothing else of the package is served
  await app.register(fastifyStatic, {
    root: dirname(designTokensCss),
    prefix: '/assets/design-tokens/',
    allowedPath: (path) => path === '/tokens.css',
    decorateReply: false,
    maxAge: '1h',
  });

  const metrics = createMetrics();
  await app.register(metricsPlugin, {
    metrics,
    store,
    boss,
    operatorToken: config.OPERATOR_TOKEN,
    threadPoolSize: config.UV_THREADPOOL_SIZE,
  });
  await app.register(health, { pool, store, boss });
  await app.register(userSessions, { pool, store, operatorToken: config.OPERATOR_TOKEN });

  const audit = shipAuditEvents(pool, app.log);
  app.addHook('onClose', () => audit.close());
  const traffic = createTrafficRecorder(pool, {
    onError: (error) => app.log.warn({ err: { message: error.message } }, 'flow traffic not recorded'),
  });
  app.addHook('onClose', () => traffic.close());
  // Retention: old moves, and audit events past theirs, are deleted at start and daily after.
  const purge = () =>
    Promise.all([traffic.purge(config.FLOW_RETENTION_DAYS), purgeAuditEvents(pool)]).catch(() => 0);
  const purgeTimer = setInterval(purge, 86_400_000).unref();
  app.addHook('onReady', async () => {
    await purge();
  });
  app.addHook('onClose', () => clearInterval(purgeTimer));
  const live = createLiveFlow(deps.redis, `${config.REDIS_PREFIX}flow`);
  await app.register(liveFlowRoutes, { live, pool, operatorToken: config.OPERATOR_TOKEN });
  await app.register(import('./ops/flow-page.ts'), {
    pool,
    operatorToken: config.OPERATOR_TOKEN,
    idleSeconds: config.SESSION_IDLE_SECONDS,
  });

  await app.register(rateLimits, {
    urls: limitedUrls(sessionMachine, index),
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
  });
  const effects = createEffects({ config, pool, boss, seal: jobSeal(deps.sessionSecret), store });
  const machine = provideEffects(sessionMachine, effects);
  const engine = createEngine({
    index,
    store,
    machine,
    times: sessionTimes(config),
    admit: sessionLimit(config.SESSION_CREATION_PER_MINUTE, deps.redis, config.REDIS_PREFIX),
    credentialEpoch: (userRef) => credentialEpoch(pool, userRef),
    observer: {
      transition: (move) => {
        metrics.observer.transition(move);
        traffic.observer.transition(move);
        live.observer.transition(move);
      },
    },
    step: live.step,
  });
  const render = createRenderer({
    loaders: createLoaders(pool, store, config),
    idleSeconds: config.SESSION_IDLE_SECONDS,
    helpdesk: { tel: config.HELPDESK_TEL, email: config.HELPDESK_EMAIL },
  });
  await app.register(flowRoutes, { engine, index, render });
  await app.register(postalLookup);

  // The error-code catalogue, "a separate sheet" (manual 3.1): a static page of its own.
  app.get('/errors', async (request, reply) => {
    const lang = request.lang;
    return reply.viewAsync('static/errors.eta', {
      lang,
      otherLang: lang === 'ja' ? 'en' : 'ja',
      t: (key: string) => translate(key, lang),
      page: { url: '/errors', template: 'errorList' },
      codes: Object.entries(errorCatalogue).map(([code, text]) => ({ code, text: text[lang] })),
    });
  });

  return app;
}
