/**
 * One error writer for the whole app: an unexpected failure becomes a page in the user's
 * language with a coded message, never a stack trace. Unreachable infrastructure (PostgreSQL,
 * Redis, the queue), told apart by error class or code (src/errors.ts), answers 503, so load
 * balancers and users alike know to come back.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isUnavailable } from '../errors.ts';
import { errorMessage, isErrorCode } from '../i18n/errors.ts';
import { translate } from '../i18n/messages.ts';
import { logSecurityEvent, type SecurityEvent } from '../ops/security-log.ts';

/** Renders the static error page; the message is always one of the catalogue's. */
export async function renderErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
) {
  const lang = request.lang ?? 'ja';
  reply.code(status).header('cache-control', 'no-store');
  try {
    const html = await reply.viewAsync('static/error.eta', {
      lang,
      otherLang: lang === 'ja' ? 'en' : 'ja',
      t: (key: string) => translate(key, lang),
      page: { url: request.url.split('?')[0], template: 'errorPage' },
      message: errorMessage(code, lang),
      code,
    });
    return reply.type('text/html; charset=utf-8').send(html);
  } catch (error) {
    // Even the error page failed: the coded message alone, still without any detail.
    request.log.error({ err: { message: (error as Error).message } }, 'error page failed');
    return reply.type('text/plain; charset=utf-8').send(errorMessage(code, lang));
  }
}

/** What a refusal with this 4xx status was (the error handler sees rate limits, bodies and paths). */
function refusalOf(status: number): SecurityEvent {
  if (status === 429) return 'rate_limited';
  if (status === 413 || status === 415) return 'body_refused';
  return 'request_refused';
}

async function errorPages(app: FastifyInstance) {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const unavailable = isUnavailable(error);
    const status = unavailable ? 503 : (error.statusCode ?? 500);
    if (status >= 400 && status < 500) {
      // Rate limits carry their own code; malformed or oversized bodies get WZBAM901E.
      const code = isErrorCode(error.code) ? error.code : 'WZBAM901E';
      logSecurityEvent(request, refusalOf(status), { status, code });
      return renderErrorPage(request, reply, status, code);
    }
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message } },
      'request failed',
    );
    return renderErrorPage(request, reply, unavailable ? 503 : 500, 'WZBAM900E');
  });
  app.setNotFoundHandler(async (request, reply) => renderErrorPage(request, reply, 404, 'WZBAM902E'));
}

export default fp(errorPages, { name: 'error-pages', dependencies: ['i18n'] });
