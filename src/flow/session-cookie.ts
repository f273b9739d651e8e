/**
 * The session cookie: a random id (256 bits), signed, HttpOnly, SameSite=Lax; `Secure` with the
 * `__Host-` prefix when the service is served over https. The engine decides when it changes.
 *
 * The visit cookie: before a browser has a session, the homepage's forms carry a double-submit
 * token, the HMAC (with the session secret) of a random value kept in this cookie. A foreign page
 * can neither read the cookie nor compute the token, and no server-side state is made per view.
 */
import { createHmac } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { boundedMemo } from '../ops/memo.ts';
import { newToken } from './tokens.ts';

/** Cookies whose signature was checked, kept by value: about 1.5 MB for as many browsers. */
const SESSION_IDS_REMEMBERED = 10_000;

interface CookieOptions {
  secret: string;
  secure: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookie: {
      name: string;
      secure: boolean;
      visitName: string;
      visitToken(value: string): string;
      /** The session id a signed cookie value carries; undefined when its signature is wrong. */
      sessionIdOf(raw: string): string | undefined;
    };
  }
}

async function sessionCookie(app: FastifyInstance, options: CookieOptions) {
  const prefix = options.secure ? '__Host-' : '';
  const visitToken = (value: string) =>
    createHmac('sha256', options.secret).update(`visit:${value}`).digest('base64url');
  await app.register(cookie, { secret: options.secret });
  // The HMAC check was 6 % of a page view's CPU; a browser sends the same cookie each time.
  const sessionIdOf = boundedMemo((raw: string) => {
    const { valid, value } = app.unsignCookie(raw);
    return valid && value !== null ? value : undefined;
  }, SESSION_IDS_REMEMBERED);
  app.decorate('sessionCookie', {
    name: `${prefix}zairyu_session`,
    secure: options.secure,
    visitName: `${prefix}zairyu_visit`,
    visitToken,
    sessionIdOf,
  });
}

const verified = new WeakMap<FastifyRequest, string | null>();

/** The session id of a validly signed cookie; the HMAC is checked once per request. */
export function readSessionId(request: FastifyRequest): string | null {
  const known = verified.get(request);
  if (known !== undefined) return known;
  const raw = request.cookies[request.server.sessionCookie.name];
  const sessionId = (raw && request.server.sessionCookie.sessionIdOf(raw)) || null;
  verified.set(request, sessionId);
  return sessionId;
}

/** This request is answered as if it carried no session: its session is neither read nor changed. */
export function ignoreSession(request: FastifyRequest): void {
  verified.set(request, null);
}

/** Sets the session cookie; the visit cookie, whose token only a session-less homepage needs, goes. */
export function setSessionCookie(reply: FastifyReply, sessionId: string): void {
  const { name, secure, visitName } = reply.server.sessionCookie;
  reply.setCookie(name, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true });
  if (reply.request.cookies[visitName]) {
    reply.clearCookie(visitName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  }
}

export function clearSessionCookie(reply: FastifyReply): void {
  const { name, secure } = reply.server.sessionCookie;
  reply.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** The homepage token this browser's visit cookie stands for; null without the cookie. */
export function visitToken(request: FastifyRequest): string | null {
  const value = request.cookies[request.server.sessionCookie.visitName];
  return value ? request.server.sessionCookie.visitToken(value) : null;
}

/** The homepage token of this browser, giving it a visit cookie first if it has none. */
export function issueVisitToken(request: FastifyRequest, reply: FastifyReply): string {
  const { visitName, secure } = reply.server.sessionCookie;
  let value = request.cookies[visitName];
  if (!value) {
    value = newToken();
    reply.setCookie(visitName, value, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  }
  return reply.server.sessionCookie.visitToken(value);
}

export default fp(sessionCookie, { name: 'session-cookie' });
