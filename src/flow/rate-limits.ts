/**
 * Per-IP rate limits on the POSTs that cost the most or could be abused: logging in, registering
 * and asking for a reset link. Which pages those are is read off the machine (the pages whose
 * state takes LOGIN, REGISTER or SEND_RESET), not listed by URL. Counted in Redis when Redis is
 * used, so every app process shares the count.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AnyStateMachine } from 'xstate';
import type { RedisClient } from '../store/redis-client.ts';
import type { PageIndex } from './pages.ts';

export const limitedEvents = ['LOGIN', 'REGISTER', 'SEND_RESET'] as const;

/** URLs of the pages whose state accepts one of the limited events. */
export function limitedUrls(machine: AnyStateMachine, index: PageIndex): Set<string> {
  const urls = new Set<string>();
  for (const page of index.pages) {
    const node = machine.getStateNodeById(`${machine.id}.${page.path}`);
    if (limitedEvents.some((event) => node.ownEvents.includes(event))) urls.add(page.meta.url);
  }
  return urls;
}

interface LimitOptions {
  urls: Set<string>;
  perMinute: number;
  redis?: RedisClient;
  prefix: string;
}

async function rateLimits(app: FastifyInstance, options: LimitOptions) {
  // Before the plugin registers: its own onRoute hook reads the config this one sets.
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (methods.includes('POST') && options.urls.has(route.url)) {
      route.config = {
        ...(route.config as object),
        rateLimit: { max: options.perMinute, timeWindow: 60_000 },
      };
    }
  });
  await app.register(rateLimit, {
    global: false,
    max: options.perMinute,
    timeWindow: 60_000,
    ...(options.redis ? { redis: options.redis, nameSpace: `${options.prefix}rl:` } : {}),
    // Answered by the error pages with the catalogue's "too many attempts" message.
    errorResponseBuilder: (_request, context) => ({
      statusCode: context.statusCode,
      code: 'WZBAM320E',
      message: 'rate limited',
    }),
  });
}

export default fp(rateLimits, { name: 'rate-limits' });
