/**
 * `DELETE /operator/users/<user ID>/sessions`: an operator ends every session of one user — before
 * disabling or removing the account, or when it is thought taken over. Behind the operator token
 * (loopback without one), like /metrics. The user's credential epoch moves on first, so a login
 * already past its password check cannot outlive the command (as after a password change).
 * Answers `{ "ended": <sessions ended> }`, 404 for an unknown user ID; logged as a security event.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { bumpCredentialEpoch, findUserByUserId } from '../db/users.ts';
import type { SessionStore } from '../store/types.ts';
import { operatorOnly } from './operator.ts';
import { logSecurityEvent } from './security-log.ts';

interface UserSessionsOptions {
  pool: pg.Pool;
  store: SessionStore;
  operatorToken?: string;
}

async function userSessions(app: FastifyInstance, { pool, store, operatorToken }: UserSessionsOptions) {
  app.delete(
    '/operator/users/:userId/sessions',
    { onRequest: operatorOnly(operatorToken) },
    async (request, reply) => {
      const { userId } = request.params as { userId: string };
      reply.header('cache-control', 'no-store');
      const user = await findUserByUserId(pool, userId);
      if (!user) return reply.code(404).send({ error: 'no such user' });
      await bumpCredentialEpoch(pool, user.id);
      const ended = await store.destroyUserSessions(user.id);
      logSecurityEvent(request, 'sessions_ended', { userRef: user.id, ended });
      return { ended };
    },
  );
}

export default fp(userSessions, { name: 'user-sessions' });
