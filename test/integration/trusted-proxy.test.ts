/**
 * Behind a load balancer (`TRUST_PROXY`) every connection comes from the balancer: the client's
 * address is read from X-Forwarded-For, so each client has its own rate-limit bucket, the audit
 * trail names the client and the balancer's request id is kept. Without `TRUST_PROXY` the headers
 * are ignored, so no client can pick its address or its request id. Login and reset POSTs are also
 * counted per user ID and email, whatever address they come from. Requests come from the inject
 * default address 127.0.0.1 (the balancer) unless they name another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, capturedLogger, createUser, type Harness, postForm, startHarness } from './harness.ts';

const junkLogin = { _action: 'LOGIN', _step: 'x', userId: '', password: '' };

/** Logs a new user in through a browser the balancer forwards for `client`; the addresses its audit rows hold. */
async function auditedLogin(harness: Harness, client: string): Promise<string[]> {
  const user = await createUser(harness.pool);
  await forwardedBrowser(harness, client).login(user);
  const { rows } = await harness.pool.query<{ ip: string }>(
    'SELECT host(ip) AS ip FROM audit_events WHERE user_ref = $1 ORDER BY id',
    [user.id],
  );
  return rows.map((row) => row.ip);
}

/** A browser whose requests the balancer forwards for `client`. */
function forwardedBrowser(harness: Harness, client: string): Browser {
  const browser = new Browser(harness.app);
  browser.headers = { 'x-forwarded-for': client };
  return browser;
}

/** GET /errors with the client's X-Request-Id: the id the response names, and the log lines written meanwhile. */
async function requestWithId({ harness, lines }: { harness: Harness; lines: string[] }, id: string) {
  const before = lines.length;
  const response = await harness.app.inject({
    method: 'GET',
    url: '/errors',
    headers: { 'x-request-id': id },
  });
  const logged = lines.slice(before).map((line) => JSON.parse(line) as { reqId?: string });
  return {
    answered: response.headers['x-request-id'],
    loggedIds: new Set(logged.map((entry) => entry.reqId)),
  };
}

/** For a describe: a harness on `env` whose log lines are kept in `lines`. */
function loggedHarness(env: Record<string, string>) {
  const logged = { harness: undefined as unknown as Harness, lines: [] as string[] };
  beforeAll(async () => {
    const { lines, logger } = capturedLogger();
    logged.lines = lines;
    logged.harness = await startHarness(env, { logger });
  });
  afterAll(() => logged.harness.close());
  return logged;
}

describe('behind a trusted load balancer (TRUST_PROXY=1)', () => {
  const logged = loggedHarness({ TRUST_PROXY: '1' });

  it('lets client B log in after 40 junk login POSTs forwarded for client A, whose POSTs past the 30th get the coded 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const junk = await postForm(logged.harness.app, '/login', junkLogin, {
        headers: { 'x-forwarded-for': '203.0.113.10' },
      });
      statuses.push(junk.statusCode);
      if (junk.statusCode === 429) expect(junk.body).toContain('WZBAM320E');
    }
    expect(statuses.slice(0, 30).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    const user = await createUser(logged.harness.pool);
    const page = await forwardedBrowser(logged.harness, '203.0.113.20').login(user);
    expect(page.status).toBe(200);
    expect(page.url).toBe('/menu');
  });

  it('records the forwarded client address in the audit trail, not the balancer', async () => {
    expect(await auditedLogin(logged.harness, '198.51.100.66, 203.0.113.30')).toEqual(['203.0.113.30']);
  });

  it("keeps the balancer's X-Request-Id: the response names it and the request's log lines carry it", async () => {
    const { answered, loggedIds } = await requestWithId(logged, 'lb-5f0c2a91-request');
    expect(answered).toBe('lb-5f0c2a91-request');
    expect([...loggedIds]).toEqual(['lb-5f0c2a91-request']);
  });
});

describe('without TRUST_PROXY', () => {
  const logged = loggedHarness({ RATE_LIMIT_PER_MINUTE: '3' });

  it('ignores X-Forwarded-For: a client naming another address in each POST is limited after 3', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const junk = await postForm(logged.harness.app, '/login', junkLogin, {
        remoteAddress: '198.51.100.7',
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      statuses.push(junk.statusCode);
    }
    expect(statuses).toEqual([303, 303, 303, 429, 429]);
  });

  it('records the address of the connection in the audit trail, never a forwarded one', async () => {
    expect(await auditedLogin(logged.harness, '203.0.113.40')).toEqual(['127.0.0.1']);
  });

  it("answers a client's X-Request-Id with a fresh id: the client's is neither in the response nor in the log lines", async () => {
    const { answered, loggedIds } = await requestWithId(logged, 'forged-by-the-client');
    expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    expect([...loggedIds]).toEqual([answered]);
  });
});

describe('TRUST_PROXY as a list of proxies (10.0.0.0/8)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => harness.close());

  const junkFrom = (remoteAddress: string, client: string) =>
    postForm(harness.app, '/login', junkLogin, { remoteAddress, headers: { 'x-forwarded-for': client } });

  it('reads X-Forwarded-For from a listed proxy and ignores it from any other address', async () => {
    const viaProxy = [];
    for (let i = 0; i < 4; i++) viaProxy.push((await junkFrom('10.1.2.3', '203.0.113.50')).statusCode);
    expect(viaProxy).toEqual([303, 303, 303, 429]);
    // another client behind the same proxy has its own bucket
    expect((await junkFrom('10.1.2.3', '203.0.113.51')).statusCode).toBe(303);
    const direct = [];
    for (let i = 0; i < 4; i++)
      direct.push((await junkFrom('198.51.100.9', `203.0.113.${60 + i}`)).statusCode);
    expect(direct).toEqual([303, 303, 303, 429]);
  });
});

describe('per user ID and email', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => harness.close());

  it('refuses the 4th login POST naming one user ID from 4 addresses, its right password included, with the coded 429; another user ID passes', async () => {
    const user = await createUser(harness.pool);
    const attempt = (password: string, remoteAddress: string, userId = user.userId) =>
      postForm(harness.app, '/login', { _action: 'LOGIN', _step: 'x', userId, password }, { remoteAddress });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await attempt('Wrong#pass1', `198.51.100.${10 + i}`)).statusCode);
    const fourth = await attempt(user.password, '198.51.100.13');
    expect([...statuses, fourth.statusCode]).toEqual([303, 303, 303, 429]);
    expect(fourth.body).toContain('WZBAM320E');
    // the same user ID in capitals is the same account
    const disguised = await attempt('x', '198.51.100.14', user.userId.toUpperCase());
    expect(disguised.statusCode).toBe(429);
    const other = await attempt('x', '198.51.100.13', (await createUser(harness.pool)).userId);
    expect(other.statusCode).toBe(303);
  });

  it('refuses the 4th reset request naming one email address, with other user IDs and from other addresses', async () => {
    const reset = (userId: string, remoteAddress: string) =>
      postForm(
        harness.app,
        '/password/forgot',
        { _action: 'SEND_RESET', _step: 'x', userId, email: 'Target@Example.jp' },
        { remoteAddress },
      );
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await reset(`someone0${i}`, `198.51.100.${20 + i}`)).statusCode);
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});
