/**
 * buildApp(deps) → the Fastify instance. Infrastructure plugins first, then the flow routes that
 * the session machine defines. Tests build it with real dependencies and use `inject`.
 */
import { join } from 'node:path';
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
import { createEffects } from './flow/effects.ts';
import { createEngine } from './flow/engine.ts';
import errorPages from './flow/error-pages.ts';
import { createLoaders } from './flow/loaders.ts';
import { indexPages } from './flow/pages.ts';
import rateLimits, { limitedUrls } from './flow/rate-limits.ts';
import flowRoutes from './flow/routes.ts';
import securityHeaders from './flow/security-headers.ts';
import sessionCookie from './flow/session-cookie.ts';
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
import type { SessionStore } from './store/types.ts';

export const templatesDir = join(import.meta.dirname, '..', 'templates');

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

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, pool, store, boss } = deps;
  const secure = (config.BASE_URL ?? '').startsWith('https:');
  const app = Fastify({
    logger: deps.logger ?? false,
    ...requestLogOptions,
    // A 1 MB field must get a coded message, not a refusal of the whole body.
    bodyLimit: 4 * 1024 * 1024,
  });

  await app.register(formbody);
  // Any other body (JSON, multipart, none) is read as an empty form: the page answers with its
  // coded "required" messages instead of a bare 415.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, _body, done) =>
    done(null, {}),
  );
  await app.register(sessionCookie, { secret: deps.sessionSecret, secure });
  await app.register(sessionLogging);
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

  const metrics = createMetrics();
  await app.register(metricsPlugin, { metrics, store, boss, operatorToken: config.OPERATOR_TOKEN });
  await app.register(health, { pool, store, boss });

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

  const index = indexPages(sessionMachine);
  await app.register(rateLimits, {
    urls: limitedUrls(sessionMachine, index),
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
  });
  const machine = createEffects({ config, pool, boss, seal: jobSeal(deps.sessionSecret), store })(
    sessionMachine,
  );
  const engine = createEngine({
    index,
    store,
    machine,
    absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
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
