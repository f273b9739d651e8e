/**
 * The web process: the composition root (src/app.ts) with the roles the configuration asks for,
 * listening, then stopped gracefully on SIGTERM/SIGINT. Without DATABASE_URL, REDIS_URL and
 * SMTP_URL the plugins start their embedded defaults, so `npm start` works on a bare machine.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { baseUrl } from './config.ts';
import { ensureDemoUser } from './db/demo-user.ts';
import { lowerHashingPriority } from './domain/passwords.ts';
import { stopOnSignals } from './ops/shutdown.ts';

export interface Running {
  url: string;
  /** Releases everything; rejects when something could not be released (it is logged). */
  close(): Promise<void>;
}

/** Starts the service; on a failed start, whatever was opened is released again. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const app = await buildApp({ env });
  try {
    const { config } = app;
    const hashThreads = await lowerHashingPriority(config.HASH_THREAD_NICE);
    const demo =
      config.NODE_ENV === 'development' ? await ensureDemoUser(app.postgres.pool, config) : undefined;
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}`;
    if (hashThreads > 0)
      app.log.info(`password hashing on ${hashThreads} threads at nice ${config.HASH_THREAD_NICE}`);
    app.log.info(
      `Zairyu at ${url} on ${backends(app, baseUrl({ ...config, PORT: port }))}` +
        (demo ? `; log in as user ID ${demo.userId} with password ${demo.password}` : ''),
    );
    return { url, close: () => app.close() };
  } catch (error) {
    await app.close().catch(() => {}); // each release that failed has logged itself
    throw error;
  }
}

/** The start line's list of what the plugins connected to. */
function backends(app: FastifyInstance, base: string): string {
  const mail = app.hasDecorator('mail') ? app.mail : undefined;
  const mailbox = mail?.catcher ? ` (${base}/dev/mailbox)` : '';
  return [app.postgres.label, app.sessions.label, `${mail?.label ?? 'no mail worker'}${mailbox}`].join(', ');
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
