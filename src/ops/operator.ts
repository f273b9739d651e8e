/**
 * Operator-only routes (/metrics, /flow): a bearer token when OPERATOR_TOKEN is set, otherwise
 * loopback clients only. In production the token is required.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logSecurityEvent } from './security-log.ts';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function operatorOnly(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const allowed = token
      ? header.startsWith('Bearer ') && sameToken(header.slice(7), token)
      : loopback.has(request.socket.remoteAddress ?? '');
    if (!allowed) {
      logSecurityEvent(request, 'operator_refused', { status: 401 });
      return reply.code(401).header('www-authenticate', 'Bearer').send('operator token required\n');
    }
  };
}
