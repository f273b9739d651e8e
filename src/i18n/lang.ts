/**
 * The page language (manual 2.1.3 item 1): Japanese by default, switched with `?lang=en` on the
 * current page, kept in a cookie so every later page (and, through the user record, every email)
 * follows the choice.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import { type Lang, langs } from '../../machines/session.ts';

export { type Lang, langs };

export function isLang(value: unknown): value is Lang {
  return value === 'ja' || value === 'en';
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

/** The language cookie: over https the `__Host-` prefix, as the session cookie, so no sibling host can plant a choice. */
function langCookie(secure: boolean): string {
  return secure ? '__Host-lang' : 'lang';
}

/** The language chosen earlier (its cookie), Japanese by default. */
export function chosenLang(request: FastifyRequest): Lang {
  const chosen = request.cookies[langCookie(request.server.sessionCookie.secure)];
  return isLang(chosen) ? chosen : 'ja';
}

/**
 * The same URL without `lang`, other parameters (the per-render key) kept. Always a path on this
 * site: a raw path such as `/.//evil.example/` normalises to `//evil.example/`, which a browser
 * would read as another host, so leading slashes are folded into one.
 */
export function withoutLang(rawUrl: string): string {
  const url = new URL(rawUrl, 'http://x');
  url.searchParams.delete('lang');
  return `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
}

async function i18n(app: FastifyInstance, { secure }: { secure: boolean }) {
  const cookieName = langCookie(secure);
  app.decorateRequest('lang', 'ja');
  // Callback hooks on every request, not async ones: no promise and microtask per request.
  app.addHook('onRequest', (request, reply, done) => {
    const query = request.query as Record<string, unknown>;
    if (request.method === 'GET' && isLang(query.lang)) {
      reply.setCookie(cookieName, query.lang, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      reply.header('cache-control', 'no-store').redirect(withoutLang(request.url), 303);
      return; // answered: the request goes no further
    }
    request.lang = chosenLang(request);
    done();
  });
}

export default fp(i18n, { name: 'i18n', dependencies: ['session-cookie'] });
