/**
 * Response headers of every page. No inline script or style exists, so the CSP needs no
 * 'unsafe-inline'; reset tokens travel in URLs, so no Referer leaves the site — `same-origin`
 * rather than `no-referrer`, under which browsers send `Origin: null` on the site's own form
 * POSTs (the Fetch standard, "serializing a request origin"), and the origin is what tells those
 * from another site's (cross-site.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

async function securityHeaders(app: FastifyInstance, { https }: { https: boolean }) {
  // A callback hook on every answer: no promise and microtask per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    // A route with a policy of its own (the dev mailbox frames the mail it shows) keeps it whole.
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', contentSecurityPolicy);
      reply.header('x-frame-options', 'DENY');
    }
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.method === 'POST' && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
