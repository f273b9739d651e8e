/**
 * Requests from another site are refused before the session is read, and set no cookie (a coded
 * 403 page): any whose `Sec-Fetch-Site` is `cross-site`, and any POST whose `Origin` is present and
 * not the service's own (BASE_URL's origin, or the request's host without BASE_URL). Browsers send
 * `Sec-Fetch-Site` on every request and `Origin` on every POST, so a link, a form or a script on
 * another site can neither move a session nor end one. What must work from anywhere are GETs of
 * the entry URLs: the homepage, the pages an emailed link leads to, the error-code page and the
 * static assets. The homepage, reached from another site, is shown as to a visitor without reading
 * the browser's session: a link elsewhere to it cannot end a signed-in session either.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { chosenLang } from '../i18n/lang.ts';
import { logSecurityEvent } from '../ops/security-log.ts';
import { renderErrorPage } from './error-pages.ts';
import { ignoreSession } from './session-cookie.ts';

interface CrossSiteOptions {
  /** BASE_URL, when configured. */
  baseUrl?: string;
  /** Paths a GET may reach from another site. */
  entryPaths: Set<string>;
  /** Path prefixes a GET may reach from another site (static assets). */
  entryPrefixes: string[];
  /** Entry paths answered without the session when reached from another site (the homepage). */
  sessionless: Set<string>;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Whether the origin names this host (a default port written or not); the scheme is not compared. */
function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (a sandboxed or privacy-sensitive context) is no origin of ours
  }
}

async function crossSite(app: FastifyInstance, options: CrossSiteOptions) {
  const ownOrigin = options.baseUrl ? new URL(options.baseUrl).origin : undefined;
  const foreignOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin === undefined) return false;
    return ownOrigin ? origin !== ownOrigin : !sameHost(origin, request.host);
  };
  const entry = (request: FastifyRequest) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = pathOf(request.url);
    return options.entryPaths.has(path) || options.entryPrefixes.some((prefix) => path.startsWith(prefix));
  };

  const refused = async (request: FastifyRequest, reply: FastifyReply) => {
    request.lang = chosenLang(request);
    logSecurityEvent(request, 'cross_site_refused', { status: 403, code: 'WZBAM330E' });
    return renderErrorPage(request, reply, 403, 'WZBAM330E');
  };

  // A callback hook: the requests it lets through (nearly all) cost no promise.
  app.addHook('onRequest', (request, reply, done) => {
    const fromElsewhere = request.headers['sec-fetch-site'] === 'cross-site';
    if (fromElsewhere && entry(request) && options.sessionless.has(pathOf(request.url)))
      ignoreSession(request);
    const crossSiteRequest = fromElsewhere && !entry(request);
    if (!crossSiteRequest && !(request.method === 'POST' && foreignOrigin(request))) return done();
    refused(request, reply).catch(done); // answered: done() is called only if the page fails
  });
}

export default fp(crossSite, { name: 'cross-site', dependencies: ['session-cookie'] });
