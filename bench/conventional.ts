/**
 * The conventional stack: what a team would build for the same pages without a session machine.
 * Fastify with @fastify/session, the sessions in Redis through connect-redis over ioredis, and the
 * manual's rules for these pages written as ordinary route handlers:
 *
 * - a page needs a live session, else the timed-out page;
 * - the session remembers the page it is on, and a request for another page (the browser's Back
 *   button, a bookmark) or another page's button is out of sequence: the session is destroyed and
 *   the invalid-operation page shown (manual 1.4 item 7);
 * - every form carries the session's CSRF token (one per session: no step tokens);
 * - each page takes its own buttons only.
 *
 * The same templates, view model and user row as the service and the baseline (bench/baseline.ts),
 * the same answers (303 to the next page). It leaves out what the baseline leaves out beside the
 * machine: compare-and-set, a claim per step, the profile cache, logging, metrics, headers.
 */
import cookie from '@fastify/cookie';
import session from '@fastify/session';
import RedisStore from 'connect-redis';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import {
  type BaselineOptions,
  idleMs,
  listen,
  pages,
  parseRecord,
  registerPages,
  renderPage,
  token,
} from './baseline.ts';

declare module 'fastify' {
  interface Session {
    /** The URL of the page the session is on. */
    page?: string;
    /** The session's CSRF token, in every form. */
    csrf?: string;
    /** What the pages show of the signed-in user (the service's machine context, copied at login). */
    context?: unknown;
  }
}

export async function startConventional(
  options: BaselineOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const { context } = parseRecord(options.record).snapshot as { context: unknown };

  const app = Fastify({ logger: false });
  await app.register(cookie);
  await app.register(session, {
    secret: options.secret,
    cookieName: 'zairyu_session',
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: idleMs },
    store: new RedisStore({ client: redis, prefix: `${options.prefix}sess:`, ttl: idleMs / 1000 }),
    saveUninitialized: false,
  });
  await registerPages(app);

  const outOfSequence = async (request: FastifyRequest, reply: FastifyReply) => {
    await request.session.destroy();
    return reply.redirect('/invalid-operation', 303);
  };

  // A signed-in session on the menu, as a login leaves it.
  app.post('/start', async (request, reply) => {
    request.session.context = context;
    request.session.page = '/menu';
    request.session.csrf = token();
    return reply.redirect('/menu', 303);
  });

  for (const [url, page] of pages) {
    app.get(url, async (request, reply) => {
      const { page: current, csrf } = request.session;
      if (!current || !csrf) return reply.redirect('/timed-out', 303);
      if (current !== url) return outOfSequence(request, reply);
      return renderPage(request, reply, page, request.session.context, csrf, null);
    });

    app.post(url, async (request, reply) => {
      const body = (request.body ?? {}) as { _step?: string; _action?: string };
      const { page: current, csrf } = request.session;
      if (!current || !csrf) return reply.redirect('/timed-out', 303);
      if (current !== url || body._step !== csrf || body._action !== page.action) {
        return outOfSequence(request, reply);
      }
      request.session.page = page.next;
      reply.header('cache-control', 'no-store');
      return reply.redirect(page.next, 303);
    });
  }

  return listen(app, redis, options);
}
