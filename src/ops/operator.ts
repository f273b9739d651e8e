/**
 * Operator-only routes (/metrics, /flow): a bearer token when OPERATOR_TOKEN is set, otherwise
 * loopback clients only. In production the token is required.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logSecurityEvent } from './security-log.ts';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Keys the digests below; random per process, so no digest can be computed ahead. */
const digestKey = randomBytes(32);
const digest = (token: string) => createHmac('sha256', digestKey).update(token).digest();

/**
 * Compares the tokens' HMACs, which are of one length whatever the tokens' lengths: the time taken
 * tells nothing of the right token, its length included (comparing the tokens themselves must stop
 * early when the lengths differ).
 */
export function sameOperatorToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function operatorOnly(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const allowed = token
      ? header.startsWith('Bearer ') && sameOperatorToken(header.slice(7), token)
      : loopback.has(request.socket.remoteAddress ?? '');
    if (!allowed) {
      logSecurityEvent(request, 'operator_refused', { status: 401 });
      return reply.code(401).header('www-authenticate', 'Bearer').send('operator token required\n');
    }
  };
}
