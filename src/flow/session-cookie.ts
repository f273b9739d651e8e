/**
 * The session cookie: a random id (256 bits), signed, HttpOnly, SameSite=Lax; `Secure` with the
 * `__Host-` prefix when the service is served over https. The engine decides when it changes.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

interface CookieOptions {
  secret: string;
  secure: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookie: { name: string; secure: boolean };
  }
}

async function sessionCookie(app: FastifyInstance, options: CookieOptions) {
  const name = options.secure ? '__Host-zairyu_session' : 'zairyu_session';
  app.decorate('sessionCookie', { name, secure: options.secure });
  await app.register(cookie, { secret: options.secret });
}

const verified = new WeakMap<FastifyRequest, string | null>();

/** The session id of a validly signed cookie; the HMAC is checked once per request. */
export function readSessionId(request: FastifyRequest): string | null {
  const known = verified.get(request);
  if (known !== undefined) return known;
  const raw = request.cookies[request.server.sessionCookie.name];
  const { valid, value } = raw ? request.unsignCookie(raw) : { valid: false, value: null };
  const sessionId = valid ? value : null;
  verified.set(request, sessionId);
  return sessionId;
}

export function setSessionCookie(reply: FastifyReply, sessionId: string): void {
  const { name, secure } = reply.server.sessionCookie;
  reply.setCookie(name, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const { name, secure } = reply.server.sessionCookie;
  reply.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export default fp(sessionCookie, { name: 'session-cookie' });
