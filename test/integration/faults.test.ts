/**
 * Faults of the real servers, caused for real: a private redis-server is restarted mid-session,
 * and the app's connections to PostgreSQL go through a TCP proxy that the test cuts and restores.
 * The user is never shown a 5xx stack: a coded page, then the service recovers by itself.
 */
import { connect, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseIdentity } from '../../src/db/identity.ts';
import { MAIL_QUEUE } from '../../src/mail/jobs.ts';
import { openMailJob } from '../../src/mail/producer.ts';
import { SealError } from '../../src/mail/seal.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { freePort, listening } from '../support/ports.ts';
import { withClient } from '../support/postgres.ts';
import { privateRedis } from '../support/redis.ts';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * Forwards TCP to the real PostgreSQL until cut: then drops every connection and refuses new ones.
 * Armed with `cutOn(text)`, it cuts by itself the moment a client sends that text (a statement in
 * the middle of a transaction), before the statement reaches the server.
 */
function pgProxy(target: URL) {
  const sockets = new Set<Socket>();
  let up = true;
  let trigger: string | undefined;
  const cut = () => {
    up = false;
    trigger = undefined;
    for (const socket of sockets) socket.destroy();
  };
  const server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk: Buffer) => {
      if (trigger !== undefined && chunk.includes(trigger)) cut();
      else upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  return {
    server,
    cut,
    cutOn(text: string) {
      trigger = text;
    },
    restore() {
      up = true;
    },
  };
}

async function withHarness(harness: Harness) {
  cleanups.push(() => harness.close());
  return harness;
}

describe('Redis restarted mid-session', () => {
  it('answers 503 while it is down, then asks the user to log in again, never a 500', async () => {
    const port = await freePort();
    let server = await privateRedis(port);
    cleanups.push(() => server.kill('SIGKILL'));
    const redis = new Redis({ port, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => {});
    cleanups.push(() => redis.disconnect());
    const database = await withClient(inject('databaseUrl'), databaseIdentity);
    const store = createRedisStore(
      redis,
      'faults:',
      { idleMs: 60_000, absoluteMs: 3_600_000, anonymousMs: 3_600_000 },
      database,
    );
    const harness = await withHarness(await startHarness({}, { store }));

    const browser = new Browser(harness.app);
    await browser.login(await createUser(harness.pool));
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));

    const down = await harness.app.inject({
      method: 'GET',
      url: '/menu',
      cookies: Object.fromEntries(browser.cookies),
    });
    expect(down.statusCode).toBe(503);
    expect(down.body).toContain('WZBAM900E');

    server = await privateRedis(port);
    const after = await browser.get('/menu');
    expect(after.url).toBe('/timed-out');
    expect(after.status).toBe(200);
  });
});

/**
 * Notification jobs queued to any of these addresses (their content is sealed: opened with the key).
 * Jobs that do not open with this harness's key are other test files' jobs in the shared queue.
 */
async function notificationsTo(db: pg.Pool, harness: Harness, addresses: string[]): Promise<number> {
  const { rows } = await db.query<{ data: unknown }>('SELECT data FROM pgboss.job WHERE name = $1', [
    MAIL_QUEUE,
  ]);
  const recipient = (data: unknown) => {
    try {
      return openMailJob(harness.seal, data).to;
    } catch (error) {
      if (error instanceof SealError) return null;
      throw error;
    }
  };
  return rows.filter((row) => addresses.includes(recipient(row.data) ?? '')).length;
}

describe('PostgreSQL unreachable', () => {
  it('shows a coded message, writes nothing half, and recovers by itself when it returns', async () => {
    const target = new URL(inject('databaseUrl'));
    const proxy = pgProxy(target);
    const port = await listening(proxy.server);
    cleanups.push(() => proxy.server.close());
    const viaProxy = new URL(target);
    viaProxy.port = String(port);
    const harness = await withHarness(await startHarness({}, { databaseUrl: viaProxy.toString() }));
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.press('GO_USER_INFO');
    await browser.press('GO_CHANGE_USER_INFO');

    // PostgreSQL goes away in the middle of the change's transaction: the user row is updated and
    // the audit row written, and the connection drops as the first notification job (an email
    // change notifies both addresses) is being inserted
    proxy.cutOn('INSERT INTO pgboss.');
    const newEmail = `new-${user.userId}@example.org`;
    const change = { email: newEmail, emailConfirm: newEmail };
    // the change fails as a whole: the form again (its record comes from the profile cache), the
    // system error noted, what the user typed kept
    const failed = await browser.press('CHANGE_USER_INFO', change);
    expect(failed.url).toBe('/user-info/change');
    expect(failed.html).toContain('WZBAM900E');
    expect(failed.html).toContain(`value="${newEmail}"`);
    // a page that must read PostgreSQL (the homepage's notices) answers 503 with the coded message
    const home = await new Browser(harness.app).get('/');
    expect(home.status).toBe(503);
    expect(home.html).toContain('WZBAM900E');

    proxy.restore();
    // nothing of the change was kept: not the new address, not its audit row, not a notification
    const direct = new pg.Pool({ connectionString: target.toString(), max: 1 });
    cleanups.push(() => direct.end());
    const kept = await direct.query(
      `SELECT (SELECT email FROM users WHERE id = $1) AS email,
              (SELECT count(*)::int FROM audit_events WHERE user_ref = $1 AND kind = 'email_change') AS audits`,
      [user.id],
    );
    expect(kept.rows[0]).toEqual({ email: user.email, audits: 0 });
    expect(await notificationsTo(direct, harness, [user.email, newEmail])).toBe(0);
    // back by itself: the same page, the system error noted, what the user typed kept
    const again = await browser.refresh();
    expect(again.status).toBe(200);
    expect(again.html).toContain('WZBAM900E');
    expect(again.html).toContain(`value="${newEmail}"`);
    const done = await browser.press('CHANGE_USER_INFO', change);
    expect(done.url).toBe('/user-info/updated');
    const { rows } = await harness.pool.query('SELECT email FROM users WHERE id = $1', [user.id]);
    expect(rows[0].email).toBe(newEmail);
    // and the notifications of the change that did commit were queued, so the count above could see them
    expect(await notificationsTo(direct, harness, [user.email, newEmail])).toBe(2);
  });
});
