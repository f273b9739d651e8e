/**
 * Structured JSON logs (pino through Fastify). Nothing personal leaves in them: cookies,
 * authorization and query strings (reset tokens travel in URLs) are dropped, form bodies are never
 * logged, and sessions appear only as a short hash that links one session's lines together.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { readSessionId } from '../flow/session-cookie.ts';

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 12);
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        // the path only: query strings may carry a link token or a language switch
        url: request.url.split('?')[0],
        id: request.id,
      }),
    },
  };
}

export const requestIdOptions = {
  genReqId: () => randomUUID(),
  requestIdHeader: 'x-request-id',
} satisfies FastifyServerOptions;

async function sessionLogging(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    const sessionId = readSessionId(request);
    if (!sessionId) return;
    request.log = request.log.child({ session: hashSessionId(sessionId) });
    reply.log = request.log;
  });
}

export default fp(sessionLogging, { name: 'session-logging', dependencies: ['session-cookie'] });
