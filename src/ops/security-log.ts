/**
 * Security events: every request the service refuses, or that tries to get round a control, is one
 * structured log line `{ security: { event, … } }` at warn level, beside the audit trail (which
 * records what users did; this records what was refused). The line carries the event, the code
 * shown, the method, the path (never the query string: link tokens travel there), the client's
 * address, and — from the request's logger — the request id and the hashed session. Never a
 * cookie, a token, a password or a form value: field names at most.
 */
import type { FastifyRequest } from 'fastify';

export type SecurityEvent =
  /** A request out of the machine's order (Back, a stale step token, another page's URL). */
  | 'out_of_sequence'
  /** A request carrying only a session id that was replaced at login or a new password. */
  | 'replaced_session'
  /** A request from another site, refused before the session is read. */
  | 'cross_site_refused'
  /** Past a rate limit (login, registration, reset, new sessions). */
  | 'rate_limited'
  /** A body no page sends (JSON, multipart, text, malformed or oversized): refused unread. */
  | 'body_refused'
  /** Any other request refused with a 4xx (a malformed body or URL, a path outside the assets). */
  | 'request_refused'
  /** A form body no page's form can send (a field repeated, or longer than any field takes). */
  | 'form_tampered'
  /** An operator route without the operator's token (or, without one configured, not from loopback). */
  | 'operator_refused'
  /** An operator ended every session of a user. */
  | 'sessions_ended';

export type SecurityDetail = Record<string, string | number | boolean | string[]>;

export function logSecurityEvent(request: FastifyRequest, event: SecurityEvent, detail: SecurityDetail = {}) {
  request.log.warn(
    {
      security: {
        event,
        ...detail,
        method: request.method,
        path: request.url.split('?')[0],
        ip: request.ip,
      },
    },
    'security event',
  );
}
