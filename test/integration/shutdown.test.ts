/**
 * "Every process shuts down gracefully on SIGTERM … and exits within 15 seconds" (README, Running in
 * production), shown where it is hardest: a web process whose log reader stopped reading (a stuck
 * log shipper), and a notification worker whose SMTP relay never answers the message in hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { createBoss } from '../../src/mail/queue.ts';
import { jobSeal } from '../../src/mail/seal.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { serviceEnv, startProcess, stopAll, stopProcess, webReady } from '../support/processes.ts';
import { enqueueCommitted, job, startRelay, waitUntil } from './mail/helpers.ts';

let env: NodeJS.ProcessEnv;

beforeAll(() => {
  env = serviceEnv({ RUN_WORKER: 'false' });
});

afterAll(stopAll);

/** Runs `work` on each item, `width` at a time; rejects at the first failure. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

describe('a web process whose log reader reads nothing', () => {
  it('logs JSON lines, answers every request, counts the lines it dropped, and is gone within 15 s of SIGTERM', async () => {
    const web = await startProcess('src/main.ts', { env, ready: webReady });
    // outside development (here NODE_ENV=test), one JSON object a line
    const startLine =
      web
        .output()
        .split('\n')
        .find((line) => line.includes('Zairyu at')) ?? '';
    expect(JSON.parse(startLine)).toMatchObject({ level: 30, msg: expect.stringMatching(/^Zairyu at http/) });
    // From here on nobody reads its stdout: the pipe and the stream's buffer fill up and stay full.
    web.child.stdout?.removeAllListeners('data');
    web.child.stdout?.pause();

    // Two log lines each (incoming, completed), about 760 KB in all: more than the pipe (64 KiB),
    // the reader's buffer (64 KiB) and the service's own log buffer (256 KiB) hold.
    const requests = Array.from({ length: 2000 }, (_, index) => index);
    const statuses: number[] = [];
    await inParallel(requests, 16, async () => {
      const response = await fetch(`${web.url}/`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      statuses.push(response.status);
    });
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    const metrics = await (await fetch(`${web.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    const dropped = Number(/^zairyu_log_lines_dropped_total (\d+)/m.exec(metrics)?.[1]);
    expect(dropped).toBeGreaterThan(0);

    const stopped = await stopProcess(web.child);
    expect(stopped.ms).toBeLessThan(15_000);
  }, 240_000);
});

describe('a notification worker whose relay never answers the message in hand', () => {
  it('is gone within 15 s of SIGTERM', async () => {
    // Its own database: `npm run worker` works on pg-boss's default schema, which no other test's
    // worker may share.
    const database = await createTestDatabase();
    const relay = await startRelay({ onData: (stream) => stream.resume() }); // never says 250
    const pool = createPool(database.url, 2);
    const boss = createBoss(database.url, { max: 2 });
    try {
      const worker = await startProcess('src/worker.ts', {
        env: { ...env, DATABASE_URL: database.url, SMTP_URL: relay.url },
        ready: /notification worker started/,
      });
      await boss.start();
      // sealed with the worker's own key, as a web process sharing its SESSION_SECRET would
      await enqueueCommitted(boss, pool, [job(1)], jobSeal(String(env.SESSION_SECRET)));
      await waitUntil(
        async () =>
          (await pool.query("SELECT 1 FROM pgboss.job WHERE name = 'notifications' AND state = 'active'"))
            .rowCount === 1,
        20_000,
        'the worker to take the job',
      );

      const stopped = await stopProcess(worker.child);
      expect(stopped.ms).toBeLessThan(15_000);
    } finally {
      await boss.stop({ graceful: false });
      await pool.end();
      await relay.close();
      await database.drop();
    }
  }, 120_000);
});
