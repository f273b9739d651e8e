/**
 * How every plugin of the composition root lets go of what it opened. Fastify runs the `onClose`
 * hooks in reverse registration order, so a resource is released after everything registered
 * later (and so able to use it) has stopped. A release that fails is logged with its name and
 * rethrown: Fastify still runs the remaining hooks, then `close()` rejects, and the process's
 * shutdown exits non-zero (src/ops/shutdown.ts) instead of passing for clean.
 */
import type { FastifyInstance } from 'fastify';

export function releaseOnClose(app: FastifyInstance, what: string, release: () => Promise<unknown>): void {
  app.addHook('onClose', async () => {
    try {
      await release();
      app.log.debug({ resource: what }, `${what} released`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      app.log.error({ err: { message }, resource: what }, `${what} not released`);
      throw new Error(`${what} not released: ${message}`, { cause: error });
    }
  });
}
