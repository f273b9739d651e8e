/**
 * Unavailable is recognised by error class or code, never by message text: real failures of
 * PostgreSQL, Redis and the queue are recognised, the server refusing a statement and a bare
 * message that merely reads like an outage are not.
 */
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { isUnavailable, UnavailableError } from '../../src/errors.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { times } from '../support/session-records.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function listening(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and drops them at once (a database going away). */
async function droppingPort(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return listening(server);
}

function databaseAt(port: number): string {
  const url = new URL(inject('databaseUrl'));
  url.port = String(port);
  return url.toString();
}

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('PostgreSQL', () => {
  it('a refused connection fails the pool’s query as UnavailableError', async () => {
    const pool = createPool(databaseAt(await closedPort()), 1);
    cleanups.push(() => pool.end());
    const error = await failure(() => pool.query('SELECT 1'));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(isUnavailable(error)).toBe(true);
  });

  it('a connection dropped by the server (pg gives it no code) fails the pool’s query and connect as UnavailableError', async () => {
    const pool = createPool(databaseAt(await droppingPort()), 1);
    cleanups.push(() => pool.end());
    const error = await failure(() => pool.query('SELECT 1'));
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect((error as { cause: { code?: string } }).cause.code).toBeUndefined();
    expect(error).toBeInstanceOf(UnavailableError);
    expect(await failure(() => pool.connect())).toBeInstanceOf(UnavailableError);
  });

  it('a backend ended by the administrator (SQLSTATE 57P01) is unavailable', async () => {
    const victim = new pg.Client({ connectionString: inject('databaseUrl') });
    const admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await victim.connect();
    await admin.connect();
    victim.on('error', () => {});
    cleanups.push(
      () => admin.end(),
      () => victim.end().catch(() => {}),
    );
    const pid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const sleeping = failure(() => victim.query('SELECT pg_sleep(10)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await sleeping;
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect((error as { code: string }).code).toBe('57P01');
    expect(isUnavailable(error)).toBe(true);
  });

  it('a statement the server refuses stays what it is, a DatabaseError, and is not unavailable', async () => {
    const pool = createPool(inject('databaseUrl'), 1);
    cleanups.push(() => pool.end());
    const error = await failure(() => pool.query('SELEC 1'));
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect((error as { code: string }).code).toBe('42601');
    expect(isUnavailable(error)).toBe(false);
  });

  it('recognises the SQLSTATEs of a server that cannot serve: class 08, 57P01–57P03, 53300; not 57014 or 23505', () => {
    const databaseError = (code: string) => Object.assign(new pg.DatabaseError('x', 0, 'error'), { code });
    for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53300'])
      expect(isUnavailable(databaseError(code)), code).toBe(true);
    for (const code of ['57014', '23505', '42601'])
      expect(isUnavailable(databaseError(code)), code).toBe(false);
  });
});

describe('Redis and the queue', () => {
  it('a Redis that cannot be reached fails the session store as UnavailableError', async () => {
    const redis = new Redis({
      port: await closedPort(),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const store = createRedisStore(redis, 'x:', times, 'db');
    const error = await failure(() => store.get('id'));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(isUnavailable(error)).toBe(true);
    redis.disconnect();
  });

  it('a queue whose database refuses the connection fails with a code that is recognised', async () => {
    const boss = new PgBoss({ connectionString: databaseAt(await closedPort()), max: 1 });
    boss.on('error', () => {});
    const error = await failure(() => boss.start());
    expect(isUnavailable(error)).toBe(true);
    await boss.stop({ graceful: false }).catch(() => {});
  });
});

describe('never the message', () => {
  it('a bare Error whose text reads like an outage is not unavailable, nor a TypeError with a network code’s name in it', () => {
    for (const text of [
      'Connection terminated unexpectedly',
      'connect ECONNREFUSED 127.0.0.1:5432',
      'Connection is closed.',
    ])
      expect(isUnavailable(new Error(text)), text).toBe(false);
    expect(isUnavailable(new TypeError('ECONNREFUSED'))).toBe(false);
  });

  it('follows the cause: an error wrapping an unavailable one is unavailable', () => {
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(isUnavailable(new Error('while sending', { cause: refused }))).toBe(true);
    expect(isUnavailable(new Error('while sending', { cause: new Error('other') }))).toBe(false);
  });
});
