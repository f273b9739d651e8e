/**
 * Prometheus metrics (prom-client), one registry per app so that several apps in one process
 * (tests) do not collide. The flow counters come from the engine's observer.
 */
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PgBoss } from 'pg-boss';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { argon2InFlight } from '../domain/passwords.ts';
import type { FlowObserver } from '../flow/engine.ts';
import { MAIL_DEAD_LETTER_QUEUE, MAIL_QUEUE } from '../mail/jobs.ts';
import type { SessionStore } from '../store/types.ts';
import { droppedLogLines } from './logging.ts';
import { operatorOnly } from './operator.ts';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'zairyu_transitions_total',
    help: 'Moves of session machines, by the page left, the event and the page reached',
    labelNames: ['from', 'event', 'to'],
    registers: [registry],
  });
  new Counter({
    name: 'zairyu_log_lines_dropped_total',
    help: 'Log lines dropped because the log reader fell too far behind (logging never waits)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(droppedLogLines());
    },
  });
  const observer: FlowObserver = {
    transition: ({ from, event, to }) => transitions.inc({ from, event, to }),
  };
  return { registry, requestDuration, transitions, observer };
}

export type Metrics = ReturnType<typeof createMetrics>;

interface MetricsOptions {
  metrics: Metrics;
  store: SessionStore;
  boss: PgBoss;
  operatorToken?: string;
  /** libuv's thread pool, where argon2 runs (UV_THREADPOOL_SIZE). */
  threadPoolSize: number;
}

async function metricsPlugin(
  app: FastifyInstance,
  { metrics, store, boss, operatorToken, threadPoolSize }: MetricsOptions,
) {
  const { registry } = metrics;
  new Gauge({
    name: 'zairyu_active_sessions',
    help: 'Live sessions in the store',
    registers: [registry],
    async collect() {
      this.set(await store.count());
    },
  });
  new Gauge({
    name: 'zairyu_mail_queue_jobs',
    help: 'Notification jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const name of [MAIL_QUEUE, MAIL_DEAD_LETTER_QUEUE]) {
        const queue = await boss.getQueue(name).catch(() => null);
        if (!queue) continue;
        this.set({ queue: name, state: 'queued' }, queue.queuedCount);
        this.set({ queue: name, state: 'active' }, queue.activeCount);
        this.set({ queue: name, state: 'failed' }, queue.failedCount);
      }
    },
  });
  new Gauge({
    name: 'zairyu_argon2_pool_saturation',
    help: 'argon2 operations in flight per thread-pool thread (above 1 means queueing)',
    registers: [registry],
    collect() {
      this.set(argon2InFlight() / threadPoolSize);
    },
  });
  new Gauge({ name: 'zairyu_cpu_cores', help: 'Cores available', registers: [registry] }).set(
    availableParallelism(),
  );

  // A callback hook on every answer: no promise and microtask per request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get('/metrics', { onRequest: operatorOnly(operatorToken) }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

export default fp(metricsPlugin, { name: 'metrics' });
