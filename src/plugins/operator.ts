/**
 * The operator surface: /metrics, /healthz and /readyz, ending a user's sessions, the analysts'
 * flow view (the record of moves, kept FLOW_RETENTION_DAYS, and the live feed), and in development
 * /dev/mailbox for the SMTP catcher. `app.operator` holds what the engine reports each transition to.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { purgeAuditEvents } from '../db/audit.ts';
import mailbox from '../mail/mailbox.ts';
import { createTrafficRecorder, type TrafficRecorder } from '../ops/flow-traffic.ts';
import health from '../ops/health.ts';
import liveFlowRoutes, { createLiveFlow, type LiveFlow } from '../ops/live-flow.ts';
import metricsPlugin, { createMetrics, type Metrics } from '../ops/metrics.ts';
import userSessions from '../ops/user-sessions.ts';
import { releaseOnClose } from './release.ts';

declare module 'fastify' {
  interface FastifyInstance {
    operator: { metrics: Metrics; traffic: TrafficRecorder; live: LiveFlow };
  }
}

/** Retention: old moves, and audit events past theirs, are deleted at start and daily after. */
function purgeDaily(app: FastifyInstance, traffic: TrafficRecorder) {
  const { pool } = app.postgres;
  const purge = () =>
    Promise.all([traffic.purge(app.config.FLOW_RETENTION_DAYS), purgeAuditEvents(pool)]).catch(() => 0);
  const timer = setInterval(purge, 86_400_000).unref();
  app.addHook('onReady', async () => {
    await purge();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

async function operator(app: FastifyInstance) {
  const { config } = app;
  const { pool } = app.postgres;
  const { store, redis } = app.sessions;
  const operatorToken = config.OPERATOR_TOKEN;
  const metrics = createMetrics();
  await app.register(metricsPlugin, {
    metrics,
    store,
    boss: app.boss,
    operatorToken,
    threadPoolSize: config.UV_THREADPOOL_SIZE,
  });
  await app.register(health, { pool, store, boss: app.boss });
  await app.register(userSessions, { pool, store, operatorToken });
  const traffic = createTrafficRecorder(pool, {
    onError: (error) => app.log.warn({ err: { message: error.message } }, 'flow traffic not recorded'),
  });
  releaseOnClose(app, 'flow traffic recorder', () => traffic.close());
  purgeDaily(app, traffic);
  const live = createLiveFlow(redis, `${config.REDIS_PREFIX}flow`);
  await app.register(liveFlowRoutes, { live, pool, operatorToken });
  await app.register(import('../ops/flow-page.ts'), {
    pool,
    operatorToken,
    idleSeconds: config.SESSION_IDLE_SECONDS,
  });
  const catcher = app.hasDecorator('mail') ? app.mail.catcher : undefined;
  if (catcher && config.NODE_ENV === 'development') {
    await app.register(mailbox, { catcher, operatorToken, environment: config.NODE_ENV });
  }
  app.decorate('operator', { metrics, traffic, live });
}

export default fp(operator, {
  name: 'operator',
  dependencies: ['config', 'postgres', 'session-store', 'queue'],
});
