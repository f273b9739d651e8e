/**
 * The live flow view's feed: the microsteps of every session machine (XState v5's `inspect` events
 * when an actor runs an effect, its pure `transition` otherwise), reduced to what analysts may see
 * (hashed session, event type, state reached; never context or payloads), streamed over
 * Server-Sent Events at /flow/events. With Redis, moves are published on a channel
 * so a viewer connected to one process sees the sessions of all of them.
 */
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { MachineStep } from '../flow/engine.ts';
import { releaseOnClose } from '../plugins/release.ts';
import { duplicateClient, type RedisClient } from '../store/redis-client.ts';
import { trafficSince } from './flow-traffic.ts';
import { hashSessionId } from './logging.ts';
import { operatorOnly } from './operator.ts';

export interface LiveMove {
  session: string;
  event: string;
  to: string;
}

/** `{ signedIn: 'menu' }` → `signedIn.menu`. */
export function leafPath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value)[0] ?? [];
    return key ? [key, leafPath(child)].filter(Boolean).join('.') : '';
  }
  return '';
}

/** How long a viewer counts as watching without a heartbeat, and how often processes look. */
const viewerTtlMs = 40_000;
const viewerCheckMs = 2_000;

export function createLiveFlow(redis?: RedisClient, channel = 'zairyu:flow') {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  // Publishing costs a round trip per move: do it only while a viewer watches, on any process.
  const viewersKey = `${channel}:viewers`;
  let watched = false;
  const look = () => {
    redis
      ?.exists(viewersKey)
      .then((n) => {
        watched = n > 0;
      })
      .catch(() => {});
  };
  const lookTimer = redis ? setInterval(look, viewerCheckMs).unref() : undefined;
  const subscriber = redis && duplicateClient(redis);
  subscriber?.on('error', () => {}); // the live view pauses while Redis is away
  // on each connection: commands sent before one are refused, not queued (src/store/redis-options.ts)
  subscriber?.on('ready', () => subscriber.subscribe(channel).catch(() => {}));
  subscriber?.on('message', (_channel: string, message: string) =>
    local.emit('move', JSON.parse(message) as LiveMove),
  );

  const publish = (move: LiveMove) => {
    if (!redis) local.emit('move', move);
    else if (watched) redis.publish(channel, JSON.stringify(move)).catch(() => {});
  };

  return {
    /** For the engine: each microstep of a session's machine. */
    step({ trace, event, value }: MachineStep) {
      if (redis ? !watched : local.listenerCount('move') === 0) return;
      publish({ session: hashSessionId(trace), event, to: leafPath(value) });
    },
    /** Ends the engine decides without the machine (out of sequence, timed out) reach the view too. */
    observer: {
      transition({ trace, event, to }: { trace: string | null; event: string; to: string }) {
        if (event !== 'INVALID_OPERATION' && event !== 'SESSION_EXPIRED') return;
        publish({ session: trace ? hashSessionId(trace) : 'unknown', event, to });
      },
    },
    subscribe(listener: (move: LiveMove) => void): () => void {
      local.on('move', listener);
      this.watching();
      return () => local.off('move', listener);
    },
    /** A viewer is connected here: tell every process (renewed by the stream's heartbeat). */
    watching() {
      watched = true;
      redis?.set(viewersKey, '1', 'PX', viewerTtlMs).catch(() => {});
    },
    async close() {
      clearInterval(lookTimer);
      await subscriber?.quit().catch(() => subscriber.disconnect());
    },
  };
}

export type LiveFlow = ReturnType<typeof createLiveFlow>;

/** `7d`, `12h`, `30m` → the time that long ago (default 7 days). */
export function sinceOf(text: string | undefined, now = Date.now()): Date {
  const match = /^(\d+)([dhm])$/.exec(text ?? '7d');
  const units = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
  const amount = match ? Number(match[1]) * units[match[2] as keyof typeof units] : 7 * units.d;
  return new Date(now - amount);
}

interface LiveFlowOptions {
  live: LiveFlow;
  pool: pg.Pool;
  operatorToken?: string;
}

async function liveFlowRoutes(app: FastifyInstance, { live, pool, operatorToken }: LiveFlowOptions) {
  const guard = operatorOnly(operatorToken);
  app.get('/flow/events', { onRequest: guard }, (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    reply.raw.write(': connected\n\n');
    const unsubscribe = live.subscribe((move) => reply.raw.write(`data: ${JSON.stringify(move)}\n\n`));
    const heartbeat = setInterval(() => {
      reply.raw.write(': heartbeat\n\n');
      live.watching();
    }, 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  app.get('/flow/traffic', { onRequest: guard }, async (request, reply) => {
    const since = sinceOf((request.query as { since?: string }).since);
    return reply.header('cache-control', 'no-store').send({ since, ...(await trafficSince(pool, since)) });
  });
  releaseOnClose(app, 'live flow feed', () => live.close());
}

export default fp(liveFlowRoutes, { name: 'live-flow' });
