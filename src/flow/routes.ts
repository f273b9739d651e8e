/**
 * The flow routes, derived from the machine: a GET for every page URL, a POST for every page that
 * takes input. No URL is written here; adding a page state adds its route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AnyMachineSnapshot } from 'xstate';
import type { SessionContext, SessionEvent } from '../../machines/session.ts';
import type { Lang } from '../i18n/lang.ts';
import { logSecurityEvent } from '../ops/security-log.ts';
import type { Engine, Outcome } from './engine.ts';
import { formEvent, isFormEvent, tamperedFields } from './forms.ts';
import type { PageIndex } from './pages.ts';
import type { RequestScope } from './scope.ts';
import {
  clearSessionCookie,
  issueVisitToken,
  readSessionId,
  setSessionCookie,
  visitToken,
} from './session-cookie.ts';
import type { RenderPage } from './view.ts';

type Body = Record<string, unknown>;

function text(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
}

function scopeOf(request: FastifyRequest): RequestScope {
  return { sessionId: readSessionId(request), lang: request.lang, ip: request.ip };
}

/** A POST's scope: without a session, the homepage's token of this browser stands for the step token. */
function postScopeOf(request: FastifyRequest): RequestScope {
  const scope = scopeOf(request);
  return scope.sessionId ? scope : { ...scope, visit: visitToken(request) };
}

/** The event a POST means: the form's schema turns the body into the event (or INVALID). */
function toEvent(body: Body, lang: Lang) {
  return (type: string, snapshot: AnyMachineSnapshot): SessionEvent => {
    if (!isFormEvent(type)) return { type } as SessionEvent;
    const context = snapshot.context as SessionContext;
    const userId = context.user?.userId ?? context.link?.userId;
    return formEvent(type, body, { userId, lang }) as SessionEvent;
  };
}

async function answer(
  render: RenderPage,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: Outcome,
): Promise<unknown> {
  reply.header('cache-control', 'no-store');
  if (outcome.kind === 'render') {
    // a page without a session (the homepage of a visitor, the timed-out page's "Go to the login
    // page"): its forms carry the double-submit token of the visit cookie
    const visitor = outcome.key === null;
    return render(request, reply, visitor ? { ...outcome, step: issueVisitToken(request, reply) } : outcome);
  }
  if (outcome.refused) {
    const { event, ...detail } = outcome.refused;
    logSecurityEvent(request, event, detail);
  }
  if (outcome.session && 'set' in outcome.session) setSessionCookie(reply, outcome.session.set);
  if (outcome.session && 'clear' in outcome.session) clearSessionCookie(reply);
  return reply.redirect(outcome.location, 303);
}

interface FlowOptions {
  engine: Engine;
  index: PageIndex;
  render: RenderPage;
}

async function flowRoutes(app: FastifyInstance, { engine, index, render }: FlowOptions) {
  // The timeout warning's "stay logged in": 204 when the session was refreshed, 410 when it is gone.
  app.post('/session/keep-alive', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const alive = await engine.keepAlive(scopeOf(request), text(body._step));
    return reply
      .code(alive ? 204 : 410)
      .header('cache-control', 'no-store')
      .send();
  });

  for (const page of index.pages) {
    const url = page.meta.url;
    app.get(url, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      return answer(render, request, reply, await engine.get(scopeOf(request), url, query));
    });
    if (page.meta.terminal) continue;
    app.post(url, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const tampered = tamperedFields(body);
      if (tampered.length > 0) logSecurityEvent(request, 'form_tampered', { fields: tampered });
      const outcome = await engine.post(
        postScopeOf(request),
        url,
        text(body._action) ?? '',
        text(body._step),
        toEvent(body, request.lang),
      );
      return answer(render, request, reply, outcome);
    });
  }
}

export default fp(flowRoutes, { name: 'flow-routes', dependencies: ['i18n', 'session-cookie'] });
