/**
 * The composition root: buildApp(options) → the Fastify instance of either role, or both. Read it
 * top to bottom: the infrastructure plugins (src/plugins/, each named, with its dependencies, a
 * typed decorator and an onClose), the services, then the routes the session machine defines.
 * The web process (main.ts), the worker process (worker.ts) and the tests all build it, with
 * different roles and backends. Closing it releases everything in reverse registration order.
 */

import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { sessionMachine } from '../machines/session.ts';
import { type Config, loadConfig } from './config.ts';
import { credentialEpoch } from './db/users.ts';
import { createEffects, provideEffects } from './flow/effects.ts';
import { createEngine, type Engine } from './flow/engine.ts';
import { createLoaders } from './flow/loaders.ts';
import { indexPages, type PageIndex } from './flow/pages.ts';
import postalLookup from './flow/postal-lookup.ts';
import rateLimits, { limitedUrls } from './flow/rate-limits.ts';
import flowRoutes from './flow/routes.ts';
import { sessionLimit } from './flow/session-limit.ts';
import { createRenderer, type RenderPage } from './flow/view.ts';
import { errorCatalogue } from './i18n/errors.ts';
import { translate } from './i18n/messages.ts';
import { jobSeal } from './mail/seal.ts';
import { logDestination, loggerOptions, requestLogOptions } from './ops/logging.ts';
import { proxyTrust } from './ops/proxy-trust.ts';
import configPlugin from './plugins/config.ts';
import frontDoor from './plugins/front-door.ts';
import mail from './plugins/mail.ts';
import operator from './plugins/operator.ts';
import postgres, { type PostgresOptions } from './plugins/postgres.ts';
import queue, { type QueueOptions } from './plugins/queue.ts';
import sessionStore, { type SessionStoreOptions } from './plugins/session-store.ts';
import view from './plugins/view.ts';
import workers, { type WorkersOptions } from './plugins/workers.ts';
import { sessionTimes } from './store/types.ts';

export interface AppOptions {
  /** The environment the configuration is read from (src/config.ts). */
  env?: NodeJS.ProcessEnv;
  /** Serves the pages (default true). */
  web?: boolean;
  /** Works the queues: notifications and account requests (default RUN_WORKER). */
  workers?: boolean;
  /** Default: JSON lines on stdout, human-readable in development. */
  logger?: FastifyServerOptions['logger'];
  postgres?: PostgresOptions;
  store?: SessionStoreOptions;
  queue?: QueueOptions;
  worker?: WorkersOptions;
}

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig(options.env);
  const roles = { web: options.web ?? true, workers: options.workers ?? config.RUN_WORKER };
  // The client's address (rate limits, the audit trail) from the proxies trusted to tell it.
  const trust = proxyTrust(config.TRUST_PROXY);
  const app = Fastify({
    logger: options.logger ?? defaultLogger(config, roles.web),
    ...requestLogOptions(trust),
    ...(trust ? { trustProxy: trust } : {}),
    // A 1 MB field must get a coded message, not a refusal of the whole body.
    bodyLimit: 4 * 1024 * 1024,
  });
  const index = indexPages(sessionMachine);
  try {
    // 1. The plugins: infrastructure, released in the reverse of this order.
    await app.register(configPlugin, { config });
    await app.register(postgres, options.postgres ?? {});
    await app.register(queue, options.queue ?? {});
    if (roles.workers) await app.register(mail);
    if (roles.web) {
      await app.register(sessionStore, options.store ?? {});
      await app.register(frontDoor, { index });
      await app.register(view);
      await app.register(operator);
    }
    // 2. The services: the workers, and the flow engine over the machine with its effects.
    if (roles.workers) await app.register(workers, options.worker ?? {});
    const flow = roles.web ? flowServices(app, index) : undefined;
    // 3. The routes, derived from the machine's pages.
    if (flow) await app.register(fp(flowPages, { name: 'flow-pages' }), { index, ...flow });
    await app.ready();
    return app;
  } catch (error) {
    await app.close().catch(() => {}); // each release that failed has logged itself
    throw error;
  }
}

/** JSON lines on stdout (human-readable in development), named for the worker process on its own. */
function defaultLogger(config: Config, web: boolean): FastifyServerOptions['logger'] {
  const stream = logDestination(process.stdout, { pretty: config.NODE_ENV === 'development' });
  return {
    ...(loggerOptions(config.LOG_LEVEL, stream) as object),
    ...(web ? {} : { name: 'zairyu-worker' }),
  };
}

/** The engine (request → event → settle → persist) and the page renderer. */
function flowServices(app: FastifyInstance, index: PageIndex) {
  const { config } = app;
  const { pool } = app.postgres;
  const { store, redis } = app.sessions;
  const { metrics, traffic, live } = app.operator;
  const seal = jobSeal(app.sessionSecret);
  const machine = provideEffects(
    sessionMachine,
    createEffects({ config, pool, boss: app.boss, seal, store }),
  );
  const engine = createEngine({
    index,
    store,
    machine,
    times: sessionTimes(config),
    admit: sessionLimit(config.SESSION_CREATION_PER_MINUTE, redis, config.REDIS_PREFIX),
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
  return { engine, render };
}

/** The flow's pages (rate-limited where the machine says), the address lookup, the code catalogue. */
async function flowPages(
  app: FastifyInstance,
  pages: { index: PageIndex; engine: Engine; render: RenderPage },
) {
  const { config } = app;
  await app.register(rateLimits, {
    urls: limitedUrls(sessionMachine, pages.index),
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    redis: app.sessions.redis,
    prefix: config.REDIS_PREFIX,
  });
  await app.register(flowRoutes, pages);
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
}
