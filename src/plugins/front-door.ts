/**
 * What every web request passes before a route: the body (forms only), the session cookie, the
 * request log, the cross-site check, the language, the security headers and the error pages.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UnsupportedBodyError } from '../errors.ts';
import crossSite from '../flow/cross-site.ts';
import errorPages from '../flow/error-pages.ts';
import type { PageIndex } from '../flow/pages.ts';
import securityHeaders from '../flow/security-headers.ts';
import sessionCookie from '../flow/session-cookie.ts';
import i18n from '../i18n/lang.ts';
import sessionLogging from '../ops/logging.ts';

/** The homepage's URL, as the machine names it. */
function home(index: PageIndex): string {
  return index.byPath.get('home')?.meta.url ?? '/';
}

async function frontDoor(app: FastifyInstance, { index }: { index: PageIndex }) {
  const { config } = app;
  const secure = (config.BASE_URL ?? '').startsWith('https:');
  // Forms only: every route that takes a body takes a page's form. Any other body (JSON, text,
  // multipart) is refused with a coded 415 page, unread, before the session is read: Fastify's
  // own JSON parser would hand the flow an object no page sends.
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  app.addContentTypeParser('*', (_request, _body, done) => done(new UnsupportedBodyError()));
  await app.register(sessionCookie, { secret: app.sessionSecret, secure });
  await app.register(sessionLogging);
  // before the language switch, which sets a cookie: a refused request sets none
  await app.register(crossSite, {
    baseUrl: config.BASE_URL,
    entryPaths: new Set([home(index), '/errors', ...index.entryUrls]),
    entryPrefixes: ['/assets/'],
    sessionless: new Set([home(index)]),
  });
  await app.register(i18n, { secure });
  await app.register(securityHeaders, { https: secure });
  await app.register(errorPages);
}

export default fp(frontDoor, { name: 'front-door', dependencies: ['config'] });
