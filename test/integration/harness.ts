/**
 * The real app, built by the composition root (src/app.ts) as the web process builds it, on this
 * run's throw-away database and a Redis key prefix of its own; with the workers and a real SMTP
 * server for the mail harness. The browser-like client and other helpers are re-exported.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { jobSeal } from '../../src/mail/seal.ts';
import { appOptions, type HarnessOptions } from './app-options.ts';
import { dropSchema } from './fixtures.ts';

export * from './app-options.ts';
export * from './browser.ts';
export * from './fixtures.ts';
export * from './mail-harness.ts';

export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}) {
  const prefix = options.prefix ?? `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
  const app = await buildApp(appOptions({ REDIS_PREFIX: prefix, ...env }, options));
  const { config, boss, sessions, postgres } = app;
  const { redis, store } = sessions;
  if (!redis) throw new Error('the harness keeps its sessions in Redis');
  const handles = { app, config, boss, redis, store, prefix, pool: postgres.pool };
  return {
    ...handles,
    /** Seals and opens this harness's jobs, as the app does (from its session secret). */
    seal: jobSeal(app.sessionSecret),
    async close() {
      await app.close();
      if (options.bossSchema) await dropSchema(postgres.url, options.bossSchema);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
