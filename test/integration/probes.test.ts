/**
 * What a scanner probes first, sent over real HTTP to the service as `npm start` builds it (the
 * process entry, test mode, the in-process mail catcher): source files, metadata, traversals out of
 * /assets, directory listings, TRACE, and every operator route without its token.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Running, start } from '../../src/main.ts';

const TOKEN = 'probe-operator-token-0123456789';
let service: Running;

beforeAll(async () => {
  service = await start({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}probes:`,
    OPERATOR_TOKEN: TOKEN,
    LOG_LEVEL: 'silent',
  });
});
afterAll(() => service.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the path exactly as given: no client normalises `..` or decodes anything. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(service.url);
  return new Promise((resolve, reject) => {
    const req = request({ method, hostname, port, path, headers }, (res) => {
      // an event stream never ends by itself: its status and headers are the answer
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Text any of the probed files would show if served. */
const LEAKS = [/"name": "zairyu"/, /\[core\]/, /ref: refs\//, /CREATE TABLE/, /SESSION_SECRET/, /flow\.css/];

describe('files outside /assets, and directory listings', () => {
  it.each([
    '/.git/config',
    '/.git/HEAD',
    '/.env',
    '/package.json',
    '/src/config.ts',
    '/templates/layout.eta',
    '/migrations/001_users.sql',
    '/assets/..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/%252e%252e/package.json',
    '/assets/',
    '/assets',
  ])('GET %s answers 404 and shows nothing of a file or directory', async (path) => {
    const answer = await raw('GET', path);
    expect(answer.status).toBe(404);
    for (const leak of LEAKS) expect(answer.body).not.toMatch(leak);
  });

  // @fastify/static refuses a path with a `..` segment itself, with 403 (the coded WZBAM901E page)
  it.each([
    '/assets/../package.json',
    '/assets/../.git/HEAD',
    '/assets/%2e%2e/package.json',
    '/assets/..%5c..%5cpackage.json',
    '/assets/....//package.json',
  ])('GET %s is refused with a coded page and shows nothing of the file', async (path) => {
    const answer = await raw('GET', path);
    expect([403, 404]).toContain(answer.status);
    expect(answer.body).toMatch(/WZBAM90[12]E/);
    for (const leak of LEAKS) expect(answer.body).not.toMatch(leak);
  });

  it('serves a real asset, so the probes above reached the static handler', async () => {
    const answer = await raw('GET', '/assets/site.css');
    expect(answer.status).toBe(200);
  });
});

describe('methods', () => {
  it.each(['/', '/login'])('TRACE %s is refused and echoes no request header', async (path) => {
    const answer = await raw('TRACE', path, {
      cookie: 'zairyu_session=probe-cookie-value',
      authorization: 'Bearer probe-authorization-value',
    });
    expect([404, 405]).toContain(answer.status);
    expect(answer.body).not.toContain('probe-cookie-value');
    expect(answer.body).not.toContain('probe-authorization-value');
  });

  it.each(['/', '/login'])('OPTIONS %s is refused and allows no other origin', async (path) => {
    const answer = await raw('OPTIONS', path, { origin: 'https://evil.example' });
    expect([404, 405]).toContain(answer.status);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('operator routes', () => {
  it.each(['/metrics', '/flow', '/flow/overlay', '/flow/events', '/flow/traffic'])(
    '%s answers 401 without the token or with a wrong one, even from loopback, and 200 with it',
    async (path) => {
      expect((await raw('GET', path)).status).toBe(401);
      expect((await raw('GET', path, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await raw('GET', path, { authorization: TOKEN })).status).toBe(401);
      expect((await raw('GET', path, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    },
  );

  it('serves no /dev/mailbox outside development, not even with the token', async () => {
    const answer = await raw('GET', '/dev/mailbox', { authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(404);
  });
});
