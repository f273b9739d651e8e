/**
 * The page language (manual 2.1.3 item 1): Japanese by default, switched with `?lang=en` on the
 * current page, kept in a cookie so every later page (and, through the user record, every email)
 * follows the choice.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const langs = ['ja', 'en'] as const;
export type Lang = (typeof langs)[number];

export function isLang(value: unknown): value is Lang {
  return value === 'ja' || value === 'en';
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

async function i18n(app: FastifyInstance, { secure }: { secure: boolean }) {
  // Over https the `__Host-` prefix, as the session cookie: no sibling host can plant a choice.
  const cookieName = secure ? '__Host-lang' : 'lang';
  app.decorateRequest('lang', 'ja');
  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (request.method === 'GET' && isLang(query.lang)) {
      reply.setCookie(cookieName, query.lang, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      const url = new URL(request.url, 'http://x');
      url.searchParams.delete('lang');
      return reply.header('cache-control', 'no-store').redirect(`${url.pathname}${url.search}`, 303);
    }
    const chosen = request.cookies[cookieName];
    request.lang = isLang(chosen) ? chosen : 'ja';
  });
}

export default fp(i18n, { name: 'i18n', dependencies: ['session-cookie'] });
