/**
 * Refused requests are security events: one structured warn line each (`security.event`), with the
 * request id, the client's address, the method and path, and never the cookie, the step token or a
 * form value. Read from the stream the app's logger writes to, against real PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, capturedLogger, createUser, type Harness, postForm, startHarness } from './harness.ts';

interface Entry {
  level: number;
  msg: string;
  reqId?: string;
  session?: string;
  security?: Record<string, unknown>;
}

interface Logged {
  harness: Harness;
  lines: string[];
}

async function loggedHarness(env: Record<string, string> = {}): Promise<Logged> {
  const { lines, logger } = capturedLogger();
  return { harness: await startHarness(env, { logger }), lines };
}

/** The security events among the lines written since `from`. */
function securityEvents(lines: string[], from = 0): Entry[] {
  return lines
    .slice(from)
    .map((line) => JSON.parse(line) as Entry)
    .filter((entry) => entry.security !== undefined);
}

/** Every line written since `from` must be free of each of these strings. */
function expectNoneContain(lines: string[], from: number, secrets: string[]) {
  const written = lines.slice(from).join('\n');
  for (const secret of secrets) expect(written).not.toContain(secret);
}

let logged: Logged;
beforeAll(async () => {
  logged = await loggedHarness({ OPERATOR_TOKEN: 'operator-token-for-security-events' });
});
afterAll(() => logged.harness.close());

describe('security events', () => {
  it('logs a POST with a stale step token as out_of_sequence (cause step_token) at warn level, without the cookie or either token', async () => {
    const browser = new Browser(logged.harness.app);
    await browser.login(await createUser(logged.harness.pool));
    const sessionId = browser.sessionId() as string;
    const current = browser.page.step;
    const from = logged.lines.length;
    await browser.press('GO_CHANGE_PASSWORD', {}, 'a-stale-step-token-value');
    const events = securityEvents(logged.lines, from);
    expect(events).toHaveLength(1);
    expect(events[0]?.level).toBe(40);
    expect(events[0]?.reqId).toEqual(expect.any(String));
    expect(events[0]?.session).toEqual(expect.any(String));
    expect(events[0]?.security).toMatchObject({
      event: 'out_of_sequence',
      cause: 'step_token',
      from: 'signedIn.menu',
      method: 'POST',
      path: '/menu',
      ip: '127.0.0.1',
    });
    expectNoneContain(logged.lines, from, [sessionId, current, 'a-stale-step-token-value']);
  });

  it('logs a GET of another page than the current one as out_of_sequence (cause page)', async () => {
    const browser = new Browser(logged.harness.app);
    await browser.login(await createUser(logged.harness.pool));
    const from = logged.lines.length;
    await browser.get('/login');
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({ event: 'out_of_sequence', cause: 'page', method: 'GET', path: '/login' }),
    ]);
  });

  it('logs a request carrying only the session id replaced at login as replaced_session', async () => {
    const browser = new Browser(logged.harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const planted = browser.cookieHeader();
    const user = await createUser(logged.harness.pool);
    await browser.press('LOGIN', { userId: user.userId, password: user.password });
    const from = logged.lines.length;
    await postForm(logged.harness.app, '/login', { _action: 'LOGIN', _step: 'guess' }, { cookie: planted });
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({ event: 'replaced_session', cause: 'old_id' }),
    ]);
  });

  it('logs a cross-site POST refused with 403 as cross_site_refused with its code', async () => {
    const from = logged.lines.length;
    const response = await postForm(
      logged.harness.app,
      '/login',
      { _action: 'LOGIN' },
      { headers: { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' } },
    );
    expect(response.statusCode).toBe(403);
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({
        event: 'cross_site_refused',
        status: 403,
        code: 'WZBAM330E',
        path: '/login',
      }),
    ]);
  });

  it('logs a JSON body refused with 415 as body_refused, without the body', async () => {
    const from = logged.lines.length;
    const response = await logged.harness.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ password: 'json-body-secret-value' }),
    });
    expect(response.statusCode).toBe(415);
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({ event: 'body_refused', status: 415, code: 'WZBAM331E' }),
    ]);
    expectNoneContain(logged.lines, from, ['json-body-secret-value']);
  });

  it('logs a form with a repeated field and a field over 1,000 characters as form_tampered, naming the fields and never their values', async () => {
    const browser = new Browser(logged.harness.app);
    await browser.get('/');
    await browser.press('GO_LOGIN');
    const from = logged.lines.length;
    const long = `tampered-value-${'x'.repeat(1100)}`;
    const body = new URLSearchParams([
      ['_action', 'LOGIN'],
      ['_step', browser.page.step],
      ['userId', 'repeated-value-one'],
      ['userId', 'repeated-value-two'],
      ['password', long],
    ]);
    const response = await logged.harness.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
      payload: body.toString(),
    });
    expect(response.statusCode).toBe(303);
    const tampered = securityEvents(logged.lines, from).filter((e) => e.security?.event === 'form_tampered');
    expect(tampered.map((entry) => entry.security?.fields)).toEqual([['userId', 'password']]);
    expectNoneContain(logged.lines, from, ['repeated-value-one', 'repeated-value-two', 'tampered-value-']);
  });

  it('logs a path that climbs out of the assets, refused with a coded 403 page, as request_refused', async () => {
    const from = logged.lines.length;
    const response = await logged.harness.app.inject({ method: 'GET', url: '/assets/....//package.json' });
    expect(response.statusCode).toBe(403);
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({ event: 'request_refused', status: 403, method: 'GET' }),
    ]);
  });

  it('logs an operator route requested without the token as operator_refused', async () => {
    const from = logged.lines.length;
    const response = await logged.harness.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer wrong-operator-token-value' },
    });
    expect(response.statusCode).toBe(401);
    expect(securityEvents(logged.lines, from).map((entry) => entry.security)).toEqual([
      expect.objectContaining({ event: 'operator_refused', status: 401, path: '/metrics' }),
    ]);
    expectNoneContain(logged.lines, from, ['wrong-operator-token-value']);
  });
});

describe('rate limits', () => {
  let limited: Logged;
  beforeAll(async () => {
    limited = await loggedHarness({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => limited.harness.close());

  it('logs a login POST past the rate limit as rate_limited with status 429 and its code', async () => {
    const from = limited.lines.length;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await postForm(
        limited.harness.app,
        '/login',
        { _action: 'LOGIN', _step: 'x', userId: '', password: '' },
        { remoteAddress: '198.51.100.21' },
      );
      statuses.push(response.statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
    const limitedEvents = securityEvents(limited.lines, from).filter(
      (e) => e.security?.event === 'rate_limited',
    );
    expect(limitedEvents.map((entry) => entry.security)).toEqual([
      expect.objectContaining({ status: 429, code: 'WZBAM320E', ip: '198.51.100.21', path: '/login' }),
    ]);
  });
});
