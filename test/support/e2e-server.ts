/**
 * The real server the browser tests drive, started by Playwright's `webServer`:
 * its own throw-away database and Redis key prefix, a real SMTP server, and the app on E2E_PORT.
 *
 * The mail the app sends is readable over HTTP on E2E_MAIL_PORT (see test/e2e/support.ts):
 *   GET    /messages        every message received, oldest first (JSON)
 *   DELETE /messages        forget them
 *   PUT    /refuse/on|off   make the SMTP server turn connections away (fault tests), or stop
 *   GET    /health          200 once the app listens
 * SIGTERM or SIGINT stops everything and drops the database.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { start } from '../../src/main.ts';
import { e2eMailPort, e2ePort } from './e2e-settings.ts';
import { createTestDatabase } from './postgres.ts';
import { deleteKeys, redisUrl, uniquePrefix } from './redis.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

const cleanups: (() => Promise<unknown>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const cleanup of [...cleanups].reverse()) {
    await cleanup().catch((error: unknown) => console.error('e2e-server shutdown:', error));
  }
  process.exit(code);
}

function mailApi(smtp: TestSmtp) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const route = `${request.method} ${request.url}`;
    if (route === 'GET /messages') return send(200, smtp.messages);
    if (route === 'DELETE /messages') {
      smtp.messages.length = 0;
      return send(200, []);
    }
    if (route === 'PUT /refuse/on' || route === 'PUT /refuse/off') {
      smtp.refuse(route.endsWith('/on'));
      return send(200, { refusing: route.endsWith('/on') });
    }
    if (route === 'GET /health') return send(200, { ok: true });
    send(404, { error: `no route ${route}` });
  };
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const redis = { url: redisUrl(), prefix: uniquePrefix('e2e') };
  cleanups.push(() => deleteKeys(redis.url, redis.prefix));
  const smtp = await startSmtp();
  cleanups.push(() => smtp.close());

  const app = await start({
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(e2ePort),
    BASE_URL: `http://127.0.0.1:${e2ePort}`,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    SMTP_URL: smtp.url,
    SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(32).toString('hex'),
    SESSION_IDLE_SECONDS: process.env.SESSION_IDLE_SECONDS || '1800',
    // Every browser of the run comes from one address; the per-IP limits are tested apart.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE || '100000',
    SESSION_CREATION_PER_MINUTE: process.env.SESSION_CREATION_PER_MINUTE || '100000',
  });
  cleanups.push(() => app.close());

  const mailServer = createServer(mailApi(smtp));
  mailServer.listen(e2eMailPort, '127.0.0.1');
  await once(mailServer, 'listening');
  cleanups.push(() => new Promise((resolve) => mailServer.close(resolve)));
  console.log(`e2e server: app ${app.url}, mailbox http://127.0.0.1:${e2eMailPort}/messages`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(0));
try {
  await main();
} catch (error) {
  console.error('e2e server failed to start:', error);
  await shutdown(1);
}
