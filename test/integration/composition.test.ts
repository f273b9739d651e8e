/**
 * The composition root (src/app.ts): one build for every process, its roles chosen by options, and
 * a shutdown that reports a resource it could not release instead of passing for clean.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPool } from '../../src/db/pool.ts';
import { releaseOnClose } from '../../src/plugins/release.ts';
import { serviceEnv, startProcess, stopAll, stopProcess } from '../support/processes.ts';
import { appOptions, capturedLogger, dropSchema, startHarness } from './harness.ts';

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('shutdown', () => {
  it('logs the PostgreSQL pool it could not release, by name, and rejects the close', async () => {
    const { lines, logger } = capturedLogger();
    const harness = await startHarness({}, { logger });
    // released once already, so the app's own release fails (pg: "end on pool more than once")
    await harness.pool.end();
    await expect(harness.app.close()).rejects.toThrow(/^PostgreSQL pool not released: /);
    expect(parsed(lines)).toContainEqual(
      expect.objectContaining({
        level: 50,
        resource: 'PostgreSQL pool',
        msg: 'PostgreSQL pool not released',
      }),
    );
  });

  it('still releases what was registered before a release that failed', async () => {
    const app = Fastify({ logger: false });
    const first = createPool(inject('databaseUrl'), 1);
    const second = createPool(inject('databaseUrl'), 1);
    await app.register(fp(async (scope) => releaseOnClose(scope, 'first pool', () => first.end())));
    await app.register(fp(async (scope) => releaseOnClose(scope, 'second pool', () => second.end())));
    await app.ready();
    await second.end();
    await expect(app.close()).rejects.toThrow(/^second pool not released: /);
    expect(first.ended).toBe(true);
  });
});

describe('closing', () => {
  it('releases in the reverse order of registration: workers, operator surface, sessions, queue, pool', async () => {
    const { lines, logger } = capturedLogger();
    const harness = await startHarness(
      {},
      { logger: { ...(logger as object), level: 'debug' }, workers: true },
    );
    await harness.close();
    const released = parsed(lines)
      .filter((line) => typeof line.msg === 'string' && line.msg.endsWith(' released'))
      .map((line) => line.resource);
    expect(released).toEqual([
      'account request worker',
      'notification worker',
      'live flow feed',
      'flow traffic recorder',
      'session store',
      'SMTP catcher',
      'pg-boss',
      'audit event stream',
      'PostgreSQL pool',
    ]);
  });
});

describe('a process whose release fails', () => {
  afterAll(stopAll);

  it('logs the failure and exits 1 on SIGTERM', async () => {
    const env = serviceEnv({ MIGRATE_ON_START: 'false' });
    const child = await startProcess('test/integration/child-failing-release.ts', {
      env,
      ready: /ready, with/,
    });
    const stopped = await stopProcess(child.child);
    expect(stopped.code).toBe(1);
    const failure = child
      .output()
      .split('\n')
      .find((line) => line.includes('not released'));
    expect(JSON.parse(failure ?? '{}')).toMatchObject({ level: 50, resource: 'PostgreSQL pool' });
  });
});

describe('roles', () => {
  it('builds the worker role with both workers started and no page, probe or operator route', async () => {
    const { lines, logger } = capturedLogger();
    const bossSchema = `roles_${randomBytes(4).toString('hex')}`;
    const app = await buildApp({ ...appOptions({}, { logger, bossSchema, workers: true }), web: false });
    try {
      const messages = parsed(lines).map((line) => line.msg);
      expect(messages).toContain('notification worker started');
      expect(messages).toContain('account request worker started');
      for (const url of ['/', '/login', '/healthz', '/metrics', '/flow', '/errors']) {
        expect((await app.inject({ url })).statusCode, url).toBe(404);
      }
      expect(app.hasDecorator('sessions')).toBe(false);
    } finally {
      await app.close();
      await dropSchema(app.postgres.url, bossSchema);
    }
  });

  it('builds the web role without workers: pages served, no worker started, no mail transport', async () => {
    const { lines, logger } = capturedLogger();
    const harness = await startHarness({}, { logger });
    try {
      expect((await harness.app.inject({ url: '/' })).statusCode).toBe(200);
      const messages = parsed(lines).map((line) => line.msg);
      expect(messages).not.toContain('notification worker started');
      expect(messages).not.toContain('account request worker started');
      expect(harness.app.hasDecorator('mail')).toBe(false);
    } finally {
      await harness.close();
    }
  });
});
