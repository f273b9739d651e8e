/**
 * Process entry: config → embedded defaults for whatever is not configured → app → listen →
 * graceful shutdown. With DATABASE_URL, REDIS_URL and SMTP_URL set, the same code uses the real
 * servers; without them `npm start` works on a bare machine.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { baseUrl, type Config, loadConfig } from './config.ts';
import { ensureDemoUser } from './db/demo-user.ts';
import { databaseIdentity } from './db/identity.ts';
import { migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';
import { lowerHashingPriority } from './domain/passwords.ts';
import { ensureAccountQueue, startAccountRequestWorker } from './mail/account-requests.ts';
import { startCatcher } from './mail/catcher.ts';
import mailbox from './mail/mailbox.ts';
import { createBoss, ensureQueues } from './mail/queue.ts';
import { jobSeal } from './mail/seal.ts';
import { startMailWorker } from './mail/worker.ts';
import { logDestination, loggerOptions } from './ops/logging.ts';
import { stopOnSignals } from './ops/shutdown.ts';
import { createMemoryStore } from './store/memory.ts';
import { createRedisStore } from './store/redis.ts';
import { redisOptions, untilReady } from './store/redis-options.ts';
import { sessionTimes } from './store/types.ts';

const dataRoot = join(import.meta.dirname, '..', '.data');

export interface Running {
  url: string;
  close(): Promise<void>;
}

async function storeFor(config: Config, database: string) {
  const times = sessionTimes(config);
  if (!config.REDIS_URL) return { store: createMemoryStore(times), backend: 'in-process session store' };
  const redis = new Redis(config.REDIS_URL, redisOptions);
  redis.on('error', () => {}); // reported by the app's logger once it exists (below)
  if (!(await untilReady(redis))) console.warn('Redis unreachable at start: requests answer 503 until it is');
  return { store: createRedisStore(redis, config.REDIS_PREFIX, times, database), backend: 'Redis', redis };
}

/** Starts the service; every resource it opens is closed by `close()`, last opened first. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const config = loadConfig(env);
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    // Loaded only when used (the package is large; its exit hooks are tamed in embedded.ts).
    const embeddedPg = config.DATABASE_URL
      ? undefined
      : await (await import('./db/embedded.ts')).startEmbeddedPostgres(dataRoot);
    if (embeddedPg) closers.push(embeddedPg.stop);
    const databaseUrl = config.DATABASE_URL ?? (embeddedPg?.url as string);
    if (config.MIGRATE_ON_START) await migrate(databaseUrl);
    const pool = createPool(databaseUrl, 10, (error) =>
      console.warn(`PostgreSQL client lost: ${error.message}`),
    );
    closers.push(() => pool.end());

    const { store, backend: storeBackend, redis } = await storeFor(config, await databaseIdentity(pool));
    closers.push(() => store.close());
    const catcher = config.SMTP_URL ? undefined : await startCatcher();
    if (catcher) closers.push(catcher.close);
    const smtpUrl = config.SMTP_URL ?? (catcher?.url as string);

    // Migrating apart, the queue's schema is made apart too (src/db/app-role.sql): no DDL from here.
    const boss = createBoss(databaseUrl, { createSchema: config.MIGRATE_ON_START });
    await boss.start();
    closers.push(() => boss.stop({ graceful: true }));
    await ensureQueues(boss);
    await ensureAccountQueue(boss);

    const hashThreads = await lowerHashingPriority(config.HASH_THREAD_NICE);
    const sessionSecret = config.SESSION_SECRET ?? randomBytes(32).toString('base64url');
    // Human-readable lines in development, JSON lines otherwise.
    const logger = loggerOptions(
      config.LOG_LEVEL,
      logDestination(process.stdout, { pretty: config.NODE_ENV === 'development' }),
    );
    const app = await buildApp({ config, pool, store, boss, redis, sessionSecret, logger });
    if (catcher && config.NODE_ENV === 'development')
      await app.register(mailbox, {
        catcher,
        operatorToken: config.OPERATOR_TOKEN,
        environment: config.NODE_ENV,
      });
    closers.push(() => app.close());
    // ioredis reconnects by itself; while it cannot, requests answer 503 and /readyz says so.
    redis?.on('error', (error: Error) =>
      app.log.warn({ err: { message: error.message } }, 'Redis unreachable'),
    );

    if (config.RUN_WORKER) {
      const helpdesk = { tel: config.HELPDESK_TEL, email: config.HELPDESK_EMAIL };
      const seal = jobSeal(sessionSecret);
      const log = app.log;
      const worker = await startMailWorker({ boss, seal, smtpUrl, from: config.MAIL_FROM, log, helpdesk });
      closers.push(worker.stop);
      const accounts = await startAccountRequestWorker({ config, pool, boss, seal, log });
      closers.push(accounts.stop);
    }
    const demo = config.NODE_ENV === 'development' ? await ensureDemoUser(pool, config) : undefined;

    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}`;
    const backends = [
      embeddedPg ? 'embedded PostgreSQL (.data/postgres)' : 'PostgreSQL',
      storeBackend,
      catcher ? `in-process SMTP catcher (${baseUrl({ ...config, PORT: port })}/dev/mailbox)` : 'SMTP relay',
    ];
    if (hashThreads > 0)
      app.log.info(`password hashing on ${hashThreads} threads at nice ${config.HASH_THREAD_NICE}`);
    app.log.info(
      `Zairyu at ${url} on ${backends.join(', ')}` +
        (demo ? `; log in as user ID ${demo.userId} with password ${demo.password}` : ''),
    );
    return { url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

if (import.meta.main) {
  start()
    .then((running) =>
      // No new connections, in-flight requests and mail jobs finish, pools close.
      stopOnSignals(running.close, (signal, error) =>
        console.error(`shutdown after ${signal} failed:`, error),
      ),
    )
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : `start failed: ${String(error)}`);
      process.exit(1);
    });
}
