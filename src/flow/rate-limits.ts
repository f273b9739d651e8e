/**
 * Rate limits on the POSTs that cost the most or could be abused: logging in, registering and
 * asking for a reset link. Which pages those are is read off the machine (the pages whose state
 * takes LOGIN, REGISTER or SEND_RESET), not listed by URL. Each is counted twice: per client
 * address (the real one behind a trusted proxy, `TRUST_PROXY`), before the body is read, and per
 * user ID and email posted, so that guesses at one account spread over many addresses meet a limit
 * too. Counted in Redis when Redis is used, so every app process shares the counts; when the
 * counter cannot be reached the request is answered as unavailable (503), never let through.
 */
import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { AnyStateMachine } from 'xstate';
import { normalizeEmail, normalizeUserId } from '../domain/rules.ts';
import { TooManyRequestsError, UnavailableError } from '../errors.ts';
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

/** The fields that name an account, each counted on its own (login: the user ID; reset: both). */
const accountFields = {
  userId: normalizeUserId,
  email: (value: string) => normalizeEmail(value).toLowerCase(),
};

/**
 * The account `field` of a POST names, hashed (a key holds no user ID or address, and a 1 MB field
 * costs 43 bytes), or '' when the field is absent or blank.
 */
function postedAccount(request: FastifyRequest, field: keyof typeof accountFields): string {
  const value = (request.body as Record<string, unknown> | undefined)?.[field];
  const account = typeof value === 'string' ? accountFields[field](value) : '';
  return account && createHash('sha256').update(account).digest('base64url');
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** Counts one request against `limiter`: 429 past the limit, 503 when the counter is unreachable. */
async function count(limiter: Limiter, request: FastifyRequest): Promise<void> {
  const result = await limiter(request).catch((cause: unknown) => {
    throw new UnavailableError('rate-limit store', cause);
  });
  if (!result.isAllowed && result.isExceeded) throw new TooManyRequestsError('attempts');
}

async function rateLimits(app: FastifyInstance, options: LimitOptions) {
  await app.register(rateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis, nameSpace: `${options.prefix}rl:` } : {}),
  });
  const window = { max: options.perMinute, timeWindow: 60_000 };
  const route = (request: FastifyRequest) => request.routeOptions.url;
  const byAddress = app.createRateLimit({
    ...window,
    keyGenerator: (request) => `ip:${route(request)}:${normalizeIP(request.ip)}`,
  });
  const byAccount = (Object.keys(accountFields) as (keyof typeof accountFields)[]).map((field) => ({
    field,
    limiter: app.createRateLimit({
      ...window,
      keyGenerator: (request) => `${field}:${route(request)}:${postedAccount(request, field)}`,
    }),
  }));

  app.addHook('onRoute', (limited: RouteOptions) => {
    if (![limited.method].flat().includes('POST') || !options.urls.has(limited.url)) return;
    limited.onRequest = [...[limited.onRequest ?? []].flat(), (request) => count(byAddress, request)];
    limited.preHandler = [
      ...[limited.preHandler ?? []].flat(),
      async (request) => {
        for (const { field, limiter } of byAccount)
          if (postedAccount(request, field)) await count(limiter, request);
      },
    ];
  });
}

export default fp(rateLimits, { name: 'rate-limits' });
