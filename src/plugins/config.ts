/**
 * The configuration, parsed once from the environment by the root (src/app.ts) and shared as
 * `app.config`, with the cookie-signing secret: SESSION_SECRET, or a random one per start outside
 * production (where the schema requires it). Job payloads are sealed with a key derived from it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    sessionSecret: string;
  }
}

async function configPlugin(app: FastifyInstance, { config }: { config: Config }) {
  app.decorate('config', config);
  app.decorate('sessionSecret', config.SESSION_SECRET ?? randomBytes(32).toString('base64url'));
}

export default fp(configPlugin, { name: 'config' });
